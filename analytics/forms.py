from django import forms
from django.core.validators import FileExtensionValidator

MAX_IMPORT_FILE_SIZE = 5 * 1024 * 1024


class SalesImportForm(forms.Form):
    file = forms.FileField(
        label="Sales file (CSV)",
        validators=[FileExtensionValidator(["csv"], message="Choose a .csv file.")],
        help_text="UTF-8 CSV with a header line, at most 5 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_FILE_SIZE:
            raise forms.ValidationError("The file is larger than 5 MB; split it and import the parts.")
        return upload
