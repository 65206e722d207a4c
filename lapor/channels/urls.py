from django.urls import path

from lapor.channels import views

app_name = "channels"

urlpatterns = [
    path("sms/", views.sms_webhook, name="sms"),
    path("email/", views.email_webhook, name="email"),
    path("gateway/", views.gateway_webhook, name="gateway"),
]
