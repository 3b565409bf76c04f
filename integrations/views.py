from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from integrations.registry import integrations


@login_required
def integrations_page(request):
    workspace = request.user.workspace
    cards = [(integration, integration.state(workspace)) for integration in integrations()]
    return render(
        request, "integrations/integrations.html", {"cards": cards, "nav": "business_tools"}
    )
