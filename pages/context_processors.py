from django.conf import settings


def site(request):
    return {"support_email": settings.SUPPORT_EMAIL, "base_url": settings.BASE_URL}
