"""The console in a real browser: headless Chromium driven by selenium (Debian's `chromium` and
`chromium-driver`, `selenium` from PyPI; scripts/setup installs them).

Usage: console_browser.py SCENARIO --base URL --token TOKEN --shots DIR [options]

Runs one scenario against a live `notifyd serve` and prints, one JSON object a line, what the
browser saw at each step (a "report", see `OBSERVE`). A report with `"wait": true` is a
checkpoint: the script then reads one line from stdin before it goes on, so the test can change
the daemon's state in between (ingest a regression). The flow saves console-stream.png and
console-issue.png to DIR.

Scenarios:
  flow      sign in (following the redirect to /login), search --search, page with Next, open
            --link (the issue link of an email), resolve, checkpoint, reload, sign out, open
            --link again.
  readonly  sign in, the stream, then --link.
  pages     sign in, then every --page URL twice: with the pages' Content-Security-Policy
            (what it blocked is in `console`), then with the policy bypassed, so that anything
            a page failed to escape would run; a canary handler inserted afterwards shows that
            it would have (`canary`).

Dialogs (alert, confirm, prompt) are never accepted silently: the browser leaves them open,
each step looks for one and records its text in `dialogs`. Every wait is bounded, and the
browser is always quit, on SIGTERM too.
"""

import argparse
import json
import os
import signal
import sys

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, TimeoutException, UnexpectedAlertPresentException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

arguments = argparse.ArgumentParser()
arguments.add_argument("scenario", choices=["flow", "readonly", "pages"])
arguments.add_argument("--base", required=True)
arguments.add_argument("--org", default="acme")
arguments.add_argument("--token", required=True)
arguments.add_argument("--shots", required=True)
arguments.add_argument("--link")
arguments.add_argument("--search")
arguments.add_argument("--page", action="append", default=[])
options = arguments.parse_args()

WAIT = 15  # seconds any one wait may take

# What a page of the console never has unless someone's input got in: handlers, inline or
# foreign scripts, frames, plugins, inline styles, images other than the console's icon, links
# that are not http(s) or a path, and a page wider than the window.
OBSERVE = r"""
const text = (selector) => Array.from(document.querySelectorAll(selector)).map((e) => e.textContent.trim());
const injected = [];
for (const element of document.querySelectorAll("*")) {
  const tag = element.tagName.toLowerCase();
  const handlers = Array.from(element.attributes).filter((a) => a.name.toLowerCase().startsWith("on"));
  const foreignImage = tag === "img" && !(element.getAttribute("src") || "").includes("/_console/icon.svg");
  const script = tag === "script" && !(element.getAttribute("src") || "").includes("/_console/console.js");
  if (handlers.length || foreignImage || script || element.hasAttribute("style") || element.hasAttribute("srcdoc")
      || ["iframe", "frame", "object", "embed", "base", "meta"].includes(tag) && !(tag === "meta" && element.closest("head"))
      || tag === "svg" && !element.matches("svg.spark, .tag svg[aria-hidden]")) {
    injected.push(element.outerHTML.slice(0, 200));
  }
}
const unsafeLinks = [];
for (const element of document.querySelectorAll("[href], [src], [action], [formaction], [xlink\\:href]")) {
  for (const name of ["href", "src", "action", "formaction", "xlink:href"]) {
    const value = (element.getAttribute(name) || "").trim();
    if (value && !/^(https?:|\/(?!\/)|\?|#)/i.test(value)) unsafeLinks.push(element.tagName.toLowerCase() + " " + name + "=" + value.slice(0, 120));
  }
}
// Where a page is too wide: the innermost elements whose content spills out of their box.
const spills = (element) => element.clientWidth > 0 && element.scrollWidth > element.clientWidth + 1 && getComputedStyle(element).overflowX === "visible";
const spilling = Array.from(document.querySelectorAll("body *")).filter((e) => spills(e) && !Array.from(e.children).some(spills))
  .map((e) => e.tagName.toLowerCase() + (e.getAttribute("class") ? "." + e.getAttribute("class").trim().split(/\s+/).join(".") : "") + " " + e.scrollWidth + "px")
  .slice(0, 20);
const links = Array.from(document.querySelectorAll("a[href]")).map((a) => a.href).filter((href) => !href.startsWith(location.origin + "/"));
const activity = Array.from(document.querySelectorAll(".activity li")).map((li) => li.childNodes[0].textContent.trim());
const flash = document.querySelector(".flash");
const hits = document.querySelector(".pager > span");
return {
  url: location.href, title: document.title, heading: (document.querySelector("h1") || {textContent: ""}).textContent.trim(),
  flash: flash ? flash.textContent.trim() : null, badges: text(".issue-head .badge"),
  buttons: text("button").filter((t) => t), checkboxes: document.querySelectorAll("input[type=checkbox]").length,
  issues: text("a.issue-title"), hits: hits ? hits.textContent.trim() : null,
  next: !!document.querySelector("a[rel=next]"), previous: !!document.querySelector("a[rel=prev]"),
  frames: text(".frames .function"), activity: activity, injected: injected, unsafeLinks: unsafeLinks, links: links,
  pwned: window.__pwned === true, scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, spilling: spilling,
  text: document.body.innerText.slice(0, 40000),
};
"""


class Browser:
    def __init__(self):
        settings = webdriver.ChromeOptions()
        settings.binary_location = "/usr/bin/chromium"
        for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1360,1000", "--lang=en-US",
                     "--disable-gpu", "--hide-scrollbars"]:
            settings.add_argument(flag)
        settings.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        # Leave dialogs open, so each step sees them instead of the driver dismissing them.
        settings.unhandled_prompt_behavior = "ignore"
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=settings)
        self.driver.set_page_load_timeout(WAIT)
        self.driver.set_script_timeout(WAIT)
        self.dialogs = []

    def close_dialogs(self):
        for _ in range(20):
            try:
                dialog = self.driver.switch_to.alert
            except NoAlertPresentException:
                return
            self.dialogs.append(dialog.text)
            dialog.dismiss()

    def go(self, url):
        try:
            self.driver.get(url)
        except UnexpectedAlertPresentException as error:
            self.dialogs.append(error.alert_text or "(a dialog)")
        self.close_dialogs()

    def submit(self, selector):
        """Clicks a button or link and waits until the next page has loaded (a fresh document
        lacks the mark this one gets)."""
        self.driver.execute_script("window.__leaving = true")
        self.driver.find_element(By.CSS_SELECTOR, selector).click()
        WebDriverWait(self.driver, WAIT, ignored_exceptions=(WebDriverException,)).until(
            lambda driver: driver.execute_script("return window.__leaving !== true && document.readyState === 'complete'"))
        self.close_dialogs()

    def shot(self, name):
        path = os.path.join(options.shots, name + ".png")
        self.driver.save_screenshot(path)
        return path

    def console(self):
        # Not the network's: a page answered 400 or 404 is what some steps ask for.
        return [entry["message"] for entry in self.driver.get_log("browser")
                if entry["level"] == "SEVERE" and entry.get("source") != "network"]

    def observe(self, step, shot=None, **extra):
        """Prints what the page shows now as one report."""
        self.close_dialogs()
        report = {"step": step}
        report.update(self.driver.execute_script(OBSERVE))
        self.close_dialogs()
        report["dialogs"] = list(self.dialogs)
        report["console"] = self.console()
        report["screenshot"] = self.shot(shot) if shot else None
        report.update(extra)
        print(json.dumps(report), flush=True)
        return report

    def canary(self):
        """Whether a handler inserted now would run (it would not under the pages' policy)."""
        self.driver.execute_script(
            "const box = document.createElement('div'); box.id = 'canary';"
            "box.innerHTML = '<img src=\"/canary-missing\" onerror=\"window.__canary = true\">'; document.body.append(box);")
        try:
            WebDriverWait(self.driver, 3).until(lambda driver: driver.execute_script("return window.__canary === true"))
            return True
        except TimeoutException:
            return False
        finally:
            self.driver.execute_script("document.getElementById('canary').remove()")

    def sign_in(self, token):
        """Opens the stream, follows the redirect to the sign-in form and signs in."""
        self.go(f"{options.base}/organizations/{options.org}/issues/")
        WebDriverWait(self.driver, WAIT).until(expected_conditions.presence_of_element_located((By.ID, "token")))
        login = self.observe("login")
        self.driver.find_element(By.ID, "token").send_keys(token)
        self.submit("form[action$='/login'] button[type=submit]")
        return login


def flow(browser):
    browser.sign_in(options.token)
    browser.observe("stream", shot="console-stream")
    search = browser.driver.find_element(By.ID, "query")
    search.clear()
    search.send_keys(options.search)
    browser.submit("form.toolbar button[type=submit]")
    browser.observe("search")
    browser.submit("a[rel=next]")
    browser.observe("next")
    browser.go(options.link)
    browser.observe("issue", shot="console-issue")
    browser.submit("button[value=resolve]")
    browser.observe("resolved", wait=True)
    if not sys.stdin.readline():
        return
    browser.go(options.link)
    browser.observe("regressed")
    browser.submit(".topbar form.who button[type=submit]")
    browser.observe("signed-out")
    browser.go(options.link)
    browser.observe("after-sign-out")


def readonly(browser):
    browser.sign_in(options.token)
    browser.observe("stream")
    browser.go(options.link)
    browser.observe("issue")


def pages(browser):
    browser.sign_in(options.token)
    for index, url in enumerate(options.page):
        browser.go(url)
        browser.observe(f"policy-{index}")
    # From here on the pages' policy is off: only their escaping stands between a payload and
    # the browser.
    browser.driver.execute_cdp_cmd("Page.setBypassCSP", {"enabled": True})
    for index, url in enumerate(options.page):
        browser.go(url)
        browser.observe(f"bypass-{index}")
        if index == 0:
            browser.observe("canary", canary=browser.canary())


def main():
    # SIGTERM (the test's deadline) ends the browser too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    browser = Browser()
    try:
        {"flow": flow, "readonly": readonly, "pages": pages}[options.scenario](browser)
    except Exception as error:  # reported as a step, so the test shows where it stopped
        print(json.dumps({"step": "error", "error": f"{type(error).__name__}: {error}"[:2000]}), flush=True)
        sys.exit(1)
    finally:
        browser.driver.quit()


main()
