"""Follows links against a live notifyd, as a signed-in browser would, for notifyd's tests.

Arguments: the console's root URL (the base URL, e.g. http://127.0.0.1:PORT/notifyd), an API
token to sign in with, and a file with one URL per line. Signs in through the form at
<root>/login (GET it for the notifyd_login cookie and the hidden csrf field, POST csrf, token and
next with an Origin header equal to the root's origin, expect a 303 that sets notifyd_session),
then GETs every URL with the session without following redirects. For every page that answers
HTML it also GETs the stylesheets, scripts and icons the page names, and the links of the page
under the root (once each; these follow redirects, as a click would). Prints one JSON object per
URL: {"url", "kind": "link" | "asset" | "page-link", "from", "status", "content_type",
"location", "final" (the URL answered after redirects), "redirects" (their statuses)}.
Exits 2 when the sign-in fails."""
import json
import re
import sys
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import requests

ROOT, TOKEN, LIST = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
split = urlsplit(ROOT)
ORIGIN = f"{split.scheme}://{split.netloc}"
TIMEOUT = 10


class References(HTMLParser):
    """The assets (stylesheet, icon, script) and the links (a href) of a page."""

    def __init__(self):
        super().__init__()
        self.assets, self.links = [], []

    def handle_starttag(self, tag, attributes):
        attributes = dict(attributes)
        if tag == "link" and attributes.get("href"):
            self.assets.append(attributes["href"])
        elif tag == "script" and attributes.get("src"):
            self.assets.append(attributes["src"])
        elif tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])


def sign_in(session):
    form = session.get(f"{ROOT}/login", timeout=TIMEOUT, allow_redirects=False)
    match = re.search(r'<input type="hidden" name="csrf" value="([^"]*)"', form.text)
    if form.status_code != 200 or not match or "notifyd_login" not in session.cookies:
        sys.exit(f"sign-in form: {form.status_code} {form.headers}")
    answer = session.post(f"{ROOT}/login", data={"csrf": match.group(1), "token": TOKEN, "next": ""}, headers={"Origin": ORIGIN},
                          timeout=TIMEOUT, allow_redirects=False)
    if answer.status_code != 303 or "notifyd_session" not in session.cookies:
        print(f"sign-in: {answer.status_code} {answer.headers} {answer.text[:500]}", file=sys.stderr)
        sys.exit(2)


def get(session, url, kind, source=None, redirects=False):
    try:
        answer = session.get(url, timeout=TIMEOUT, allow_redirects=redirects)
    except requests.RequestException as error:  # reported as status 0, the test says which URL
        print(json.dumps({"url": url, "kind": kind, "from": source, "status": 0, "content_type": str(error), "location": None,
                          "final": url, "redirects": []}), flush=True)
        return None
    print(json.dumps({"url": url, "kind": kind, "from": source, "status": answer.status_code,
                      "content_type": answer.headers.get("Content-Type", ""), "location": answer.headers.get("Location"),
                      "final": answer.url, "redirects": [step.status_code for step in answer.history]}), flush=True)
    return answer


def main():
    session = requests.Session()
    sign_in(session)
    urls = [line.strip() for line in open(LIST) if line.strip()]
    seen = set(urls)
    follow = []
    for url in urls:
        answer = get(session, url, "link")
        if answer is not None and answer.status_code == 200 and answer.headers.get("Content-Type", "").startswith("text/html"):
            references = References()
            references.feed(answer.text)
            for asset in references.assets:
                target = urljoin(url, asset)
                if target not in seen:
                    seen.add(target)
                    get(session, target, "asset", url)
            for link in references.links:
                target = urljoin(url, link).split("#")[0]
                if target.startswith(ROOT + "/") and target not in seen:
                    seen.add(target)
                    follow.append((target, url))
    for target, source in follow:
        get(session, target, "page-link", source, redirects=True)


main()
