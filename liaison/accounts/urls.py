from django.urls import path

from liaison.accounts import views

app_name = "accounts"

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/setup/", views.enrol, name="enrol"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("two-factor/reset/", views.reset_own, name="reset_own"),
    path("township/", views.township_accounts, name="township"),
    path("township/<int:user_id>/unlock/", views.unlock, name="unlock"),
    path("township/<int:user_id>/reset-two-factor/", views.reset_two_factor, name="reset_two_factor"),
]
