"""The project's URLs plus the import page at the address it is wired to (tests only)."""

from django.urls import include, path

from analytics.views_import import SalesImportView
from anwariya.urls import urlpatterns as project_urlpatterns

import_patterns = ([path("import/", SalesImportView.as_view(), name="import")], "analytics")

urlpatterns = [path("analytics/", include(import_patterns)), *project_urlpatterns]
