from django.urls import path

from deputies.views import duty

app_name = "duty"

urlpatterns = [
    path("", duty.roster, name="roster"),
    path("rule/", duty.rule_save, name="rule"),
    path("generate/", duty.generate, name="generate"),
    path("publish/", duty.publish, name="publish"),
    path("day/<int:pk>/", duty.day_page, name="day"),
    path("day/<int:pk>/override/", duty.override, name="override"),
    path("day/<int:pk>/replace/", duty.replace, name="replace"),
    path("day/<int:pk>/swap/", duty.swap, name="swap"),
    path("day/<int:pk>/attendance/", duty.attendance, name="attendance"),
    path("balance/", duty.balance, name="balance"),
    path("swaps/", duty.swap_requests, name="swaps"),
    path("swaps/<int:pk>/<slug:action>/", duty.swap_move, name="swap_move"),
    path("mine/", duty.mine, name="mine"),
    path("shift/<int:pk>/ask/", duty.ask, name="ask"),
    path("feed/revoke/", duty.feed_revoke, name="feed_revoke"),
    path("feed/revoke/<slug:code>/", duty.feed_revoke_for, name="feed_revoke_for"),
    path("check-in/<slug:code>/", duty.check_in, name="check_in"),
]
