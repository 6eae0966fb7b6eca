"""A staff member's first login on a phone: password, then the QR code scanned off the screen by a real
decoder (as the authenticator app's camera would), the code it yields typed in, the recovery codes
shown, and the desk."""

import re
from base64 import b32decode
from urllib.parse import parse_qs, urlparse

from django_otp.oath import totp

from tests.browser.conftest import screenshot
from tests.browser.test_csp import CspWatch
from tests.deputies.test_qr import decode_png


def test_first_login_sets_up_the_authenticator_from_the_qr_code_on_screen(phone, live_server, staff):
    watch = CspWatch()  # the login steps run before any back-office page: under the same policy
    watch.attach(phone.context)
    with watch.checked(least_pages=4):
        _first_login(phone, live_server)


def _first_login(phone, live_server) -> None:
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.fill("#id_username", "staff")
    phone.fill("#id_password", "pw")
    phone.click("#main button[type=submit]")
    phone.wait_for_url(f"{live_server.url}/accounts/two-factor/setup/**")

    scanned = decode_png(phone.locator(".qr-enrol svg").screenshot())
    assert scanned.startswith("otpauth://totp/") and "staff" in scanned
    secret = parse_qs(urlparse(scanned).query)["secret"][0]
    assert phone.locator("#secret").inner_text().replace(" ", "") == secret
    screenshot(phone, "two-factor-setup")

    phone.fill("#id_code", f"{totp(b32decode(secret)):06d}")
    phone.click("#main button[type=submit]")
    phone.wait_for_url(f"{live_server.url}/accounts/two-factor/**")
    codes = re.findall(r"\b[a-z2-7]{8}\b", phone.locator(".recovery-codes").inner_text())
    assert len(codes) == 10

    phone.click("text=我已保存，继续")
    phone.wait_for_url(f"{live_server.url}/desk/concerns/**")
