"""Which site a host belongs to: its registrable domain under the public suffix list.

Two addresses are one site when they share it (money.example.com and www.example.com; sport.orf.at
and orf.at), so rules about "another page of this site" do not depend on the subdomain a page sits on.
"""

from __future__ import annotations

import tldextract

# The public suffix list snapshot bundled with tldextract, private domains included (a.github.io
# and b.github.io are two sites); no suffix_list_urls and no cache, so it never touches the network.
_SUFFIXES = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)


def site_of_host(host: str) -> str:
    """The registrable domain of `host` (lower case, no port). An IP address is its own site; a
    host under a suffix the list does not know (.test, .example, intranet names) keeps its last
    two labels; "" stays ""."""
    host = host.lower()
    host = host[:host.find("]") + 1] if host.startswith("[") else host.rsplit(":", 1)[0]
    if not host:
        return ""
    parts = _SUFFIXES(host)
    if parts.top_domain_under_public_suffix:
        return parts.top_domain_under_public_suffix
    if parts.ipv4 or host.startswith("["):
        return host
    return ".".join(host.split(".")[-2:])
