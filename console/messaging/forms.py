from django import forms


class MessageForm(forms.Form):
    """An agent's own message; the channel must be one the customer can be reached on now."""

    channel = forms.ChoiceField(error_messages={"invalid_choice": "The customer cannot be reached that way now."})
    subject = forms.CharField(max_length=150, required=False)
    text = forms.CharField(max_length=1000, error_messages={"required": "Write the message first."})

    def __init__(self, *args, channels: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [(c, c) for c in channels]

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("Write the message first.")
        return text
