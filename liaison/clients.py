"""Who is asking: the client's address as every counter of the station sees it (rate limits on the
public pages, login throttling)."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address, an IPv6 client's /64 network (one household or phone gets a whole one).

    Behind a reverse proxy, set CLIENT_IP_HEADER to the header the proxy writes the client's
    address into (e.g. HTTP_X_REAL_IP); otherwise every visitor would share the proxy's address.
    """
    address = request.META.get(settings.CLIENT_IP_HEADER or "REMOTE_ADDR", "") or request.META.get("REMOTE_ADDR", "")
    address = address.split(",")[0].strip()
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)
