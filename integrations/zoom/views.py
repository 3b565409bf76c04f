import base64
import hashlib
import logging
import secrets
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_GET, require_POST

from integrations.zoom import activity, client, connections, webhooks
from integrations.zoom.provider import ZOOM

log = logging.getLogger(__name__)

SESSION_KEY = "zoom_oauth"
# How long the person may take on Zoom's consent page.
STATE_MAX_AGE = 600


def redirect_uri():
    return settings.BASE_URL + reverse("zoom_callback")


@login_required
@require_POST
def connect(request):
    """Set Up: send the person to Zoom's consent page with a one-time state and PKCE."""
    state = secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    request.session[SESSION_KEY] = {
        "state": state,
        "verifier": verifier,
        "created": int(time.time()),
    }
    url = client.authorize_url(
        state=state, code_challenge=challenge.rstrip(b"=").decode(), redirect_uri=redirect_uri()
    )
    return HttpResponseRedirect(url)


def _failed(request, message):
    messages.error(request, message)
    return redirect("integrations")


@login_required
@require_GET
@sensitive_variables("pending", "code")
def callback(request):
    """Zoom sends the person back here after they allowed (or declined) vrtual.ly."""
    # The state is single-use: take it out of the session whatever happens next.
    pending = request.session.pop(SESSION_KEY, None)
    if request.GET.get("error"):
        if request.GET["error"] == "access_denied":
            messages.info(
                request,
                "You declined the Zoom authorization, so Zoom is not connected. "
                "You can set it up whenever you like.",
            )
            return redirect("integrations")
        return _failed(request, "Zoom could not authorize vrtual.ly. Nothing was changed.")

    state, code = request.GET.get("state", ""), request.GET.get("code", "")
    if not pending or not isinstance(pending, dict):
        return _failed(
            request,
            "This Zoom authorization is not one we were waiting for (it may have been used "
            "already). Nothing was changed — click Set Up to connect Zoom.",
        )
    if not state or not secrets.compare_digest(state, str(pending.get("state", ""))):
        return _failed(
            request,
            "This Zoom authorization did not start from your vrtual.ly session, so we ignored "
            "it. Nothing was changed — click Set Up to connect Zoom.",
        )
    if time.time() - pending.get("created", 0) > STATE_MAX_AGE:
        return _failed(
            request,
            "The Zoom authorization took too long and expired. Nothing was changed — "
            "click Set Up to try again.",
        )
    if not code:
        return _failed(request, "Zoom did not send an authorization code. Nothing was changed.")

    try:
        connections.connect(
            request.user.workspace,
            code=code,
            code_verifier=pending["verifier"],
            redirect_uri=redirect_uri(),
            actor=request.user.name or request.user.email,
        )
    except connections.ScopesMissing as error:
        return _failed(
            request,
            "Zoom granted fewer permissions than vrtual.ly needs ("
            + ", ".join(error.args[0])
            + "). Nothing was stored; please check the app's permissions and try again.",
        )
    except client.TransientError:
        return _failed(
            request,
            "Zoom could not be reached to finish connecting. Nothing was changed — "
            "please try again in a minute.",
        )
    except client.ZoomError:
        return _failed(
            request,
            "Zoom did not accept this authorization (it may have expired or been used "
            "already). Nothing was changed — click Set Up to try again.",
        )
    messages.success(
        request, "Zoom is connected. Confirmed bookings now get their own Zoom meeting."
    )
    return redirect("integrations")


@login_required
@require_POST
def disconnect(request):
    """The Delete icon: stop all Zoom use now, then revoke the grant at Zoom."""
    revocation = connections.disconnect(
        request.user.workspace, actor=request.user.name or request.user.email
    )
    if revocation is None or connections.revoke(
        revocation.pk, timeout=settings.ZOOM_INLINE_TIMEOUT
    ):
        messages.success(
            request,
            "Zoom is disconnected. vrtual.ly’s access was revoked and no further Zoom calls "
            "will be made. Your bookings are kept.",
        )
    else:
        messages.warning(
            request,
            "Zoom is disconnected: vrtual.ly makes no further Zoom calls. Zoom could not be "
            "reached to revoke the access yet; we keep trying in the background.",
        )
    return redirect("integrations")


@login_required
def zoom_page(request):
    workspace = request.user.workspace
    return render(
        request,
        "zoom/zoom.html",
        {
            "integration": ZOOM,
            "state": ZOOM.state(workspace),
            "entries": activity.recent(workspace),
            "labels": activity.LABELS,
            "nav": "business_tools",
        },
    )


@csrf_exempt
@require_POST
def webhook(request):
    """Zoom's event notifications (URL validation, app deauthorization)."""
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        length = 0
    if length > webhooks.MAX_BODY_BYTES:
        return JsonResponse({"error": "body too large"}, status=413)
    content_type = request.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        return JsonResponse({"error": "expected application/json"}, status=415)
    try:
        body = request.body
    except RequestDataTooBig:
        return JsonResponse({"error": "body too large"}, status=413)
    if len(body) > webhooks.MAX_BODY_BYTES:
        return JsonResponse({"error": "body too large"}, status=413)
    try:
        webhooks.verify(
            timestamp=request.headers.get("x-zm-request-timestamp", ""),
            signature_header=request.headers.get("x-zm-signature", ""),
            body=body,
        )
        answer = webhooks.handle(webhooks.parse(body))
    except webhooks.Rejected as rejected:
        log.info("zoom webhook rejected: %s", rejected.message)
        return JsonResponse({"error": rejected.message}, status=rejected.status)
    return JsonResponse(answer)
