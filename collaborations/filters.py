from django_filters import ChoiceFilter

from anwariya.api.filters import FilterSet, IdFilter
from collaborations.models import Collaboration


class CollaborationFilter(FilterSet):
    stage = ChoiceFilter(choices=Collaboration.Stage.choices)
    campaign = IdFilter(field_name="campaign_id")

    class Meta:
        model = Collaboration
        fields = ["stage", "campaign"]
