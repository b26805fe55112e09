"""URLs shown without their secrets: user-info (`user:pw@host`) and secret-looking query values (`?api-key=`).

A `base_url` may carry credentials (a proxy's `https://user:pw@host/v1`, Azure's `?api-key=...`), and a
server's error echoes the URL it was called at. Everything `vsm` prints passes `redact_urls`, so neither
reaches a terminal, a log or a shared report.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

REDACTED = "[redacted]"
# Query names whose values are credentials: key, api-key, api_key, apikey, token, access_token, secret,
# password, sig/signature (pre-signed URLs), auth, credential, session.
_SECRET_NAME = re.compile(
    r"(?:^|[-_.])(?:key|apikey|token|secret|password|passwd|pwd|sig|signature|auth|authorization|credentials?|"
    r"session)$|^(?:api[-_]?key|access[-_]?key|code|x-amz-signature|x-goog-signature)$",
    re.IGNORECASE,
)
_URL = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]{1,15}://[^\s'\"<>`\x00-\x1f\x7f-\x9f]+")
# Secrets met in the settings (a key's value, a base_url's password or api-key), redacted wherever they are
# echoed, even without their URL around them ("no route /v1/?api-key=..." from a server).
_KNOWN_SECRETS: set[str] = set()
_SHORTEST_SECRET = 4  # shorter values ("1", "yes") are no secret, and replacing them would garble the text
_QUERY_PAIR = re.compile(r"([^&=;]+)=([^&;]*)")
_URL_PARTS = re.compile(
    r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)(?P<netloc>[^/?#]*)(?P<path>[^?#]*)(?:\?(?P<query>[^#]*))?(?:#(?P<fragment>.*))?",
    re.DOTALL,
)


def remember_secret(value: str | None) -> None:
    """Never show `value` again in this process: `redact_urls` replaces it wherever it appears."""
    if value and len(value) >= _SHORTEST_SECRET:
        _KNOWN_SECRETS.add(value)


def remember_url_secrets(url: str | None) -> None:
    """Remember the user-info and the secret-looking query values of `url` (see `remember_secret`)."""
    if not url:
        return
    try:
        parts = urlsplit(url)
    except ValueError:
        remember_secret(url)
        return
    for value in (parts.username, parts.password):
        remember_secret(value)
    for pair in _QUERY_PAIR.finditer(f"{parts.query}&{parts.fragment}"):
        if _SECRET_NAME.search(pair.group(1)):
            remember_secret(pair.group(2))


def redact_url(url: str) -> str:
    """`url` with its user-info and secret-looking query values replaced by `[redacted]`.

    Split by hand rather than by `urlsplit`, which refuses what it cannot parse (a `[` in the host): a URL
    already redacted, or a broken one, is still redacted, never shown whole.
    """
    parts = _URL_PARTS.match(url)
    if parts is None:
        return url
    scheme, netloc, path, query, fragment = parts.group("scheme", "netloc", "path", "query", "fragment")
    if "@" in netloc:
        netloc = f"{REDACTED}@{netloc.rpartition('@')[2]}"
    shown = f"{scheme}{netloc}{path}"
    if query is not None:
        shown += "?" + _QUERY_PAIR.sub(_redact_pair, query)
    if fragment is not None:  # OAuth implicit flows put tokens here
        shown += "#" + _QUERY_PAIR.sub(_redact_pair, fragment)
    return shown


def url_host(url: str) -> str:
    """`host[:port]` of `url`, never its user-info: a name for the server that may be written anywhere."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return redact_url(url)
    host = parts.hostname or ""
    return (f"{host}:{port}" if port else host) or redact_url(url)


def redact_urls(text: str) -> str:
    """Every URL in `text` redacted (see `redact_url`), and every remembered secret; the rest as it was."""
    if "://" in text:
        text = _URL.sub(_redact_match, text)
    for secret in _KNOWN_SECRETS:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


def _redact_match(match: re.Match[str]) -> str:
    url = match.group()
    trailing = len(url) - len(url.rstrip(".,;:!?)]}"))  # the sentence's punctuation, not the URL's
    return redact_url(url[: len(url) - trailing]) + url[len(url) - trailing :]


def _redact_pair(match: re.Match[str]) -> str:
    name, value = match.group(1), match.group(2)
    return f"{name}={REDACTED}" if value and _SECRET_NAME.search(name) else match.group()
