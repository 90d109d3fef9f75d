#!/usr/bin/env python3
"""Browser tests of the web console (SPEC §11), run by `make test` after the Swift tests.

Starts a real triggerd (temp state, socket and workflows) and `triggerctl console`, then drives Debian's
headless Chromium through chromedriver with Selenium. Writes screenshots of every page, light and dark, to
CONSOLE_SCREENSHOTS (default Tests/Browser/screenshots, git-ignored). Prints one line per test and a closing
`N passed, N failed`; exits 1 when anything failed.

Usage: console_browser_test.py BIN_DIR
"""
import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import traceback

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/debug")
SHOTS = os.path.abspath(os.environ.get("CONSOLE_SCREENSHOTS", "Tests/Browser/screenshots"))
WAIT = 20

WORKFLOWS = {
    "hello.yaml": """
name: hello
description: Says hello.
triggers: [{ manual: {} }]
inputs:
  who: { type: string, default: world }
steps:
  greet:
    type: transform
    with: { value: "hello {{ input.who }}" }
  shout:
    type: function_call
    needs: [greet]
    with: { function: upper, args: ["{{ steps.greet.output }}"] }
""",
    "slow.yaml": """
name: slow
triggers: [{ manual: {} }]
steps:
  first:
    type: command
    with: { argv: [sleep, "1"] }
  second:
    type: command
    needs: [first]
    with: { argv: [sleep, "1"] }
""",
    "gate.yaml": """
name: gate
description: Waits for a person.
triggers: [{ manual: {} }]
steps:
  plan:
    type: transform
    with: { value: plan }
  ask:
    type: wait_for_approval
    needs: [plan]
    with: { message: "Ship it?", timeout: 1h }
  ship:
    type: transform
    needs: [ask]
    if: "{{ steps.ask.output.approved }}"
    with: { value: "{{ steps.ask.output.by }}" }
""",
    "hook.yaml": """
name: hook
description: A webhook without a signature, to replay.
triggers: [{ webhook: { path: /hooks/demo } }]
steps:
  echo:
    type: transform
    with: { value: "{{ trigger.body.n }}" }
""",
    "nightly.yaml": """
name: nightly
triggers:
  - cron: { schedule: "0 3 * * *", catch_up: latest, overlap: skip }
  - event: { name: "demo.*" }
inputs:
  region: { type: string, default: eu }
  count: { type: integer, default: 1 }
steps:
  plan: { type: transform, with: { value: "{{ input.region }}" } }
""",
    "params.yaml": """
name: params
description: A run form built from inputs.
triggers: [{ manual: {} }]
inputs:
  who: { type: string, required: true }
  times: { type: integer, default: 1 }
  loud: { type: boolean, default: false }
steps:
  say:
    type: transform
    with: { value: { who: "{{ input.who }}", times: "{{ input.times }}", loud: "{{ input.loud }}" } }
""",
    "release.yaml": """
name: release
description: Versions, diffs and dry runs.
triggers: [{ manual: {} }]
inputs:
  tag: { type: string, required: true }
steps:
  plan: { type: transform, with: { value: "release {{ input.tag }}" } }
  touch:
    type: command
    needs: [plan]
    with: { argv: [touch, "MARKER"] }
  announce:
    type: transform
    needs: [touch]
    with: { value: "{{ steps.plan.output }}: {{ steps.touch.output.stdout }}" }
""",
    "fan.yaml": """
name: fan
description: A for_each whose last items take a while.
triggers: [{ manual: {} }]
steps:
  fan:
    type: for_each
    with:
      items: ["0", "0", "x", "8", "8"]
      concurrency: 5
      fail_fast: false
      step: { type: command, with: { argv: [sleep, "{{ item }}"] } }
""",
    "broken.yaml": """
name: broken
triggers: [{ manual: {} }]
steps:
  a: { type: transform, needs: [nope], with: { value: 1 } }
""",
    "wide.yaml": """
name: wide
description: A wide fan-out with a for_each, to see how the graph copes.
triggers: [{ manual: {} }]
steps:
  start: { type: transform, with: { value: 1 } }
"""
    + "".join(
        f"  branch_{i:02d}: {{ type: transform, needs: [start], with: {{ value: {i} }} }}\n" for i in range(14)
    )
    + """  items:
    type: for_each
    needs: [start]
    with:
      items: [1, 2, 3, 4, 5]
      step: { type: transform, with: { value: "{{ item }}" } }
  join:
    type: transform
    needs: [items, """
    + ", ".join(f"branch_{i:02d}" for i in range(14))
    + """]
    with: { value: done }
  broken:
    type: command
    needs: [join]
    on_error: continue
    with: { argv: ["false"] }
""",
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Harness:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="triggerd-console-")
        self.socket = os.path.join(self.dir, "control.sock")
        os.makedirs(os.path.join(self.dir, "workflows"))
        self.marker = os.path.join(self.dir, "touched-by-release")
        for name, text in WORKFLOWS.items():
            with open(os.path.join(self.dir, "workflows", name), "w") as f:
                f.write(text.replace("MARKER", self.marker))
        self.daemon_log = open(os.path.join(self.dir, "daemon.log"), "w")
        self.listen = free_port()
        self.console_port = free_port()
        self.config = os.path.join(self.dir, "triggerd.yaml")
        with open(self.config, "w") as f:
            f.write(f"console:\n  listen: 127.0.0.1:{self.console_port}\n  auth: tokens\n")
        self.daemon = subprocess.Popen(
            [f"{BIN}/triggerd", "--config", self.config, "--workflows", os.path.join(self.dir, "workflows"),
             "--state-dir", os.path.join(self.dir, "state"), "--socket", self.socket,
             "--listen", f"127.0.0.1:{self.listen}"],
            stdout=self.daemon_log, stderr=subprocess.STDOUT)
        deadline = time.time() + WAIT
        while subprocess.run(self.ctl_args("status"), capture_output=True).returncode != 0:
            if time.time() > deadline or self.daemon.poll() is not None:
                raise RuntimeError("triggerd did not start: " + open(self.daemon_log.name).read())
            time.sleep(0.2)
        self.console = subprocess.Popen(self.ctl_args("console", "--json"), stdout=subprocess.PIPE, text=True)
        line = self.console.stdout.readline()
        self.url = json.loads(line)["url"]
        self.base = self.url.split("/?")[0]
        self.browsers = []

    def ctl_args(self, *args):
        return [f"{BIN}/triggerctl", *args, "--socket", self.socket]

    def ctl(self, *args):
        out = subprocess.run(self.ctl_args(*args), capture_output=True, text=True)
        if out.returncode != 0:
            raise AssertionError(f"triggerctl {' '.join(args)} exited {out.returncode}: {out.stderr}")
        return out.stdout

    def start(self, workflow, wait=False):
        args = ["run", workflow, "--json"] + (["--wait"] if wait else [])
        answer = json.loads(self.ctl(*args))
        return answer.get("run_id") or answer["id"]

    def browser(self, javascript=True):
        options = Options()
        for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--window-size=1280,900", "--force-device-scale-factor=1"]:
            options.add_argument(arg)
        if shutil.which("chromium"):
            options.binary_location = shutil.which("chromium")
        if not javascript:
            options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
        driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
        self.browsers.append(driver)
        return driver

    def login(self, driver):
        """Opens a fresh one-time link (one console per browser: a link works once)."""
        console = subprocess.Popen(self.ctl_args("console", "--json"), stdout=subprocess.PIPE, text=True)
        self.extra_consoles = getattr(self, "extra_consoles", []) + [console]
        url = json.loads(console.stdout.readline())["url"]
        driver.get(url)
        return url.split("/?")[0]

    def close(self):
        for driver in self.browsers:
            try:
                driver.quit()
            except Exception:
                pass
        for proc in [self.console] + getattr(self, "extra_consoles", []) + [self.daemon]:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.daemon_log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def wait_for(driver, condition, what):
    try:
        return WebDriverWait(driver, WAIT).until(lambda d: condition(d))
    except Exception:
        raise AssertionError(f"timed out waiting for {what}")


def screenshot(driver, name):
    """The page in light and dark, full height."""
    os.makedirs(SHOTS, exist_ok=True)
    for scheme in ["light", "dark"]:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                               {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(1280, min(max(700, height + 140), 4000))
        driver.save_screenshot(os.path.join(SHOTS, f"{name}-{scheme}.png"))
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    driver.set_window_size(1280, 900)


def test_runs_page_lists_a_finished_run(h, d, base):
    run = h.start("hello", wait=True)
    d.get(base + "/runs")
    row = d.find_element(By.CSS_SELECTOR, f'table#runs tr[data-run-id="{run}"]')
    assert row.get_attribute("data-status") == "completed", row.get_attribute("data-status")
    screenshot(d, "runs")
    d.get(base + "/")
    screenshot(d, "overview")


def test_run_detail_shows_the_graph_with_each_step(h, d, base):
    run = h.start("hello", wait=True)
    d.get(base + f"/runs/{run}")
    nodes = d.find_elements(By.CSS_SELECTOR, "svg#graph [data-step-id][data-status]")
    got = {n.get_attribute("data-step-id"): n.get_attribute("data-status") for n in nodes}
    assert got == {"greet": "completed", "shout": "completed"}, got
    assert "HELLO WORLD" in d.page_source
    screenshot(d, "run-detail")
    wide = h.start("wide", wait=False)
    wait_for(d, lambda _: json.loads(h.ctl("show", wide, "--json"))["status"] in ("completed", "failed"), "wide run")
    d.get(base + f"/runs/{wide}")
    nodes = d.find_elements(By.CSS_SELECTOR, "svg#graph [data-step-id]")
    assert len(nodes) == 18, len(nodes)
    assert "5/5" in d.find_element(By.CSS_SELECTOR, 'svg#graph [data-step-id="items"] [data-progress]').text
    screenshot(d, "run-detail-wide")


def test_a_cli_run_appears_and_completes_without_reload(h, d, base):
    d.get(base + "/runs")
    wait_for(d, lambda _: d.find_element(By.ID, "live").get_attribute("data-state") == "live", "the live indicator")
    d.execute_script("window.__notReloaded = true")
    run = h.start("slow")
    selector = f'table#runs tr[data-run-id="{run}"]'
    wait_for(d, lambda _: d.find_elements(By.CSS_SELECTOR, selector), "the new row")
    wait_for(d, lambda _: d.find_element(By.CSS_SELECTOR, selector).get_attribute("data-status") == "completed",
             "the row to complete")
    assert d.execute_script("return window.__notReloaded === true"), "the page was reloaded"
    # The same on the run's own page: the graph follows the run.
    run = h.start("slow")
    d.get(base + f"/runs/{run}")
    d.execute_script("window.__notReloaded = true")
    wait_for(d, lambda _: d.find_element(By.ID, "run-status").get_attribute("data-status") == "completed",
             "the run status")
    second = d.find_element(By.CSS_SELECTOR, 'svg#graph [data-step-id="second"]')
    assert second.get_attribute("data-status") == "completed", second.get_attribute("data-status")
    assert d.execute_script("return window.__notReloaded === true"), "the page was reloaded"


def test_an_approval_in_the_browser_is_recorded_as_the_unix_user(h, d, base):
    run = h.start("gate")
    wait_for(d, lambda _: json.loads(h.ctl("show", run, "--json"))["status"] == "waiting", "the wait")
    d.get(base + "/approvals")
    screenshot(d, "approvals")
    form = d.find_element(By.CSS_SELECTOR, f'form[data-approve="{run}/ask"]')
    form.find_element(By.NAME, "comment").send_keys("from the browser")
    form.find_element(By.CSS_SELECTOR, 'button[name="decision"][value="approve"]').click()
    wait_for(d, lambda _: "Approval recorded" in d.page_source, "the confirmation")
    wait_for(d, lambda _: json.loads(h.ctl("show", run, "--json"))["status"] == "completed", "the run to resume")
    shown = json.loads(h.ctl("show", run, "--json"))
    user = pwd.getpwuid(os.getuid()).pw_name
    decision = shown["decisions"][0]
    assert decision["user"] == user and decision["comment"] == "from the browser", decision
    assert shown["steps"][-1]["output"] == [user], shown["steps"][-1]


def test_a_forged_form_is_refused(h, d, base):
    run = h.start("gate")
    wait_for(d, lambda _: json.loads(h.ctl("show", run, "--json"))["status"] == "waiting", "the wait")
    d.get(base + "/approvals")
    d.execute_script("document.querySelectorAll('input[name=csrf]').forEach(function (i) { i.value = 'f00d'; })")
    form = d.find_element(By.CSS_SELECTOR, f'form[data-approve="{run}/ask"]')
    form.find_element(By.CSS_SELECTOR, 'button[value="approve"]').click()
    wait_for(d, lambda _: "CSRF token" in d.page_source, "the refusal")
    screenshot(d, "error")
    assert json.loads(h.ctl("show", run, "--json"))["status"] == "waiting"
    h.ctl("reject", run, "ask")


def test_a_viewer_token_cannot_approve(h, d, base):
    run = h.start("gate")
    wait_for(d, lambda _: json.loads(h.ctl("show", run, "--json"))["status"] == "waiting", "the wait")
    token = json.loads(h.ctl("token", "create", f"viewer-{run}", "--role", "viewer", "--json"))["token"]
    tcp = h.browser()
    tcp_base = f"http://127.0.0.1:{h.console_port}"
    tcp.get(tcp_base + "/approvals")
    wait_for(tcp, lambda _: tcp.current_url.endswith("/login"), "the redirect to /login")
    screenshot(tcp, "login")
    tcp.find_element(By.NAME, "token").send_keys(token)
    tcp.find_element(By.CSS_SELECTOR, "form#login button[type=submit]").click()
    wait_for(tcp, lambda _: tcp.current_url.rstrip("/") == tcp_base, "the overview after login")
    tcp.get(tcp_base + "/approvals")
    form = tcp.find_element(By.CSS_SELECTOR, f'form[data-approve="{run}/ask"]')
    form.find_element(By.CSS_SELECTOR, 'button[name="decision"][value="approve"]').click()
    wait_for(tcp, lambda _: "403" in tcp.page_source and "viewer role" in tcp.page_source, "the 403 page")
    assert json.loads(h.ctl("show", run, "--json"))["status"] == "waiting", "a viewer's approval was recorded"
    h.ctl("reject", run, "ask")
    # Logging out is a form with the session's CSRF token; afterwards pages send the browser to /login.
    tcp.get(tcp_base + "/runs")
    tcp.find_element(By.CSS_SELECTOR, "form#logout button[type=submit]").click()
    wait_for(tcp, lambda _: tcp.current_url.endswith("/login"), "the login page after logout")
    tcp.get(tcp_base + "/runs")
    wait_for(tcp, lambda _: tcp.current_url.endswith("/login"), "the session to be over")


def test_pages_work_with_javascript_disabled(h, d, base):
    nojs = h.browser(javascript=False)
    nobase = h.login(nojs)
    assert nojs.execute_script is not None
    run = h.start("gate")
    wait_for(nojs, lambda _: json.loads(h.ctl("show", run, "--json"))["status"] == "waiting", "the wait")
    nojs.get(nobase + "/runs?workflow=gate")
    assert nojs.find_element(By.CSS_SELECTOR, f'tr[data-run-id="{run}"]').get_attribute("data-status") == "waiting"
    nojs.get(nobase + f"/runs/{run}")
    assert nojs.find_element(By.ID, "live").text == "static", "console.js ran"
    form = nojs.find_element(By.CSS_SELECTOR, f'form[data-approve="{run}/ask"]')
    form.find_element(By.CSS_SELECTOR, 'button[value="reject"]').click()
    wait_for(nojs, lambda _: "Rejection recorded" in nojs.page_source, "the confirmation")
    assert json.loads(h.ctl("show", run, "--json"))["decisions"][0]["approved"] is False
    nojs.get(nobase + "/runs?status=completed")
    nojs.find_element(By.CSS_SELECTOR, "form.filters button").click()
    assert "/runs?" in nojs.current_url


def test_the_console_link_works_once(h, d, base):
    other = h.browser()
    other.get(h.url)  # the first link, already used by the main browser
    assert "already used" in other.page_source, other.page_source[:300]
    other.get(base + "/runs")
    assert "Open the link" in other.page_source


def test_workflow_pages_and_the_run_form(h, d, base):
    d.get(base + "/workflows")
    assert "step &#39;a&#39; needs unknown step &#39;nope&#39;" in d.page_source or "unknown step" in d.page_source
    screenshot(d, "workflows")
    d.get(base + "/workflows/broken")
    error = d.find_element(By.CSS_SELECTOR, "pre.diagnostic").text
    assert error.startswith("broken.yaml:"), error
    d.get(base + "/workflows/params")
    screenshot(d, "workflow-detail")
    form = d.find_element(By.CSS_SELECTOR, "form.run-form")
    form.find_element(By.NAME, "input.who").send_keys("ada")
    times = form.find_element(By.NAME, "input.times")
    times.clear()
    times.send_keys("3")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(d, lambda _: "Run started" in d.page_source, "the new run")
    run = d.current_url.split("/runs/")[1].split("?")[0]
    wait_for(d, lambda _: json.loads(h.ctl("show", run, "--json"))["status"] == "completed", "the run")
    assert json.loads(h.ctl("show", run, "--json"))["input"] == {"who": "ada", "times": 3, "loud": False}


def test_deliveries_replay_and_schedules(h, d, base):
    import urllib.request
    request = urllib.request.Request(f"http://127.0.0.1:{h.listen}/hooks/demo", data=b'{"n": 7}',
                                     headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=10) as answer:
        delivery = json.loads(answer.read())["delivery_id"]
    d.get(base + "/deliveries")
    row = d.find_element(By.CSS_SELECTOR, f'tr[data-delivery-id="{delivery}"]')
    assert "started" in row.text, row.text
    screenshot(d, "deliveries")
    row.find_element(By.CSS_SELECTOR, "button").click()
    wait_for(d, lambda _: "Delivery replayed" in d.page_source, "the replayed run")
    run = d.current_url.split("/runs/")[1].split("?")[0]
    shown = json.loads(h.ctl("show", run, "--json"))
    assert shown["trigger"]["replay_of"] == delivery, shown["trigger"]
    d.get(base + "/schedules")
    assert "0 3 * * *" in d.find_element(By.ID, "schedules").text
    screenshot(d, "schedules")


def test_events_page_emits_and_lists(h, d, base):
    d.get(base + "/events")
    wait_for(d, lambda _: d.find_element(By.ID, "live").get_attribute("data-state") == "live", "the live indicator")
    h.start("hello", wait=True)
    wait_for(d, lambda _: len(d.find_elements(By.CSS_SELECTOR, "table#events tr[data-seq]")) >= 3, "live events")
    screenshot(d, "events")
    form = d.find_element(By.CSS_SELECTOR, "form.emit")
    form.find_element(By.NAME, "name").send_keys("demo.go")
    form.find_element(By.NAME, "data").send_keys('{"x": 1}')
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(d, lambda _: "emitted" in d.page_source, "the emit result")
    started = d.find_elements(By.CSS_SELECTOR, "dl.panel dd a")
    assert len(started) == 1, d.page_source[:500]


def test_workflow_versions_and_a_diff_after_a_hot_reload(h, d, base):
    path = os.path.join(h.dir, "workflows", "release.yaml")
    with open(path) as f:
        text = f.read()
    with open(path, "w") as f:
        f.write(text.replace("description: Versions, diffs and dry runs.", "description: Versions, diffs, dry runs.")
                .replace('value: "release {{ input.tag }}"', 'value: "shipping {{ input.tag }}"'))
    wait_for(d, lambda _: len(json.loads(h.ctl("workflows", "versions", "release", "--json"))) == 2, "the reload")
    d.get(base + "/workflows/release")
    rows = d.find_elements(By.CSS_SELECTOR, "#versions-table tr[data-version]")
    assert len(rows) == 2, len(rows)
    assert rows[0].get_attribute("data-current") is not None, "the newest version is not the current one"
    d.find_element(By.CSS_SELECTOR, "form#diff-form button[type=submit]").click()
    wait_for(d, lambda _: d.find_elements(By.CSS_SELECTOR, "table#diff-table"), "the diff")
    assert "from=" in d.current_url and "to=" in d.current_url, d.current_url
    added = [r.text for r in d.find_elements(By.CSS_SELECTOR, "table#diff-table tr.d-added")]
    removed = [r.text for r in d.find_elements(By.CSS_SELECTOR, "table#diff-table tr.d-removed")]
    assert any("shipping" in line for line in added), added
    assert any("release {{ input.tag }}" in line for line in removed), removed
    assert "triggerctl workflows diff release" in d.find_element(By.CSS_SELECTOR, "footer").text
    # The diff is a permalink.
    d.get(d.current_url)
    assert d.find_elements(By.CSS_SELECTOR, "table#diff-table tr.d-added")
    d.execute_script("document.getElementById('versions').scrollIntoView()")
    screenshot(d, "workflow-versions")
    d.get(base + "/workflows/release?from=0000&to=1111")
    assert "404" in d.page_source and "no stored version" in d.page_source, d.page_source[:400]


def test_a_dry_run_shows_each_step_and_runs_nothing(h, d, base):
    before = json.loads(h.ctl("runs", "--workflow", "release", "--json"))
    d.get(base + "/workflows/release")
    form = d.find_element(By.CSS_SELECTOR, "form#dry-run-form")
    mocks = form.find_element(By.NAME, "mocks")
    assert '"touch"' in mocks.get_attribute("value"), mocks.get_attribute("value")
    form.find_element(By.NAME, "input").clear()
    form.find_element(By.NAME, "input").send_keys('{"tag": "v9"}')
    mocks.clear()
    mocks.send_keys('{"touch": {"exit_code": 0, "stdout": "mocked", "stderr": ""}}')
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(d, lambda _: d.find_elements(By.ID, "dry-run-result"), "the dry run's result")
    result = d.find_element(By.ID, "dry-run-result")
    assert result.get_attribute("data-status") == "completed", result.text
    statuses = {r.get_attribute("data-step"): r.get_attribute("data-status")
                for r in result.find_elements(By.CSS_SELECTOR, "tr[data-step]")}
    assert statuses == {"plan": "completed", "touch": "completed", "announce": "completed"}, statuses
    assert "shipping v9: mocked" in result.text, result.text
    screenshot(d, "workflow-dry-run")
    # Without a mock the command step fails instead of running.
    form = d.find_element(By.CSS_SELECTOR, "form#dry-run-form")
    form.find_element(By.NAME, "mocks").clear()
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(d, lambda _: d.find_element(By.ID, "dry-run-result").get_attribute("data-status") == "failed",
             "the failed dry run")
    assert "is not mocked" in d.find_element(By.ID, "dry-run-result").text
    # Bad JSON is a clear error.
    d.get(base + "/workflows/release")
    form = d.find_element(By.CSS_SELECTOR, "form#dry-run-form")
    form.find_element(By.NAME, "input").clear()
    form.find_element(By.NAME, "input").send_keys('{"tag": ')
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(d, lambda _: "400" in d.page_source and "the input is not valid JSON" in d.page_source, "the 400 page")
    assert not os.path.exists(h.marker), "a dry run ran the command"
    assert json.loads(h.ctl("runs", "--workflow", "release", "--json")) == before, "a dry run stored a run"


def test_for_each_progress_while_it_runs(h, d, base):
    run = h.start("fan")
    d.get(base + f"/runs/{run}")
    d.execute_script("window.__notReloaded = true")
    node = 'svg#graph [data-step-id="fan"] [data-progress]'
    wait_for(d, lambda _: d.find_element(By.CSS_SELECTOR, node).text == "3/5 ✗1", "3 of 5 items live")
    assert d.find_element(By.CSS_SELECTOR, 'svg#graph [data-step-id="fan"]').get_attribute("data-status") == "running"
    row = d.find_element(By.CSS_SELECTOR, '#steps tr[data-step="fan"] [data-progress]')
    assert row.text == "3/5, 1 failed", row.text
    screenshot(d, "run-detail-for-each")
    # Right on a reload without JavaScript too.
    nojs = h.browser(javascript=False)
    nobase = h.login(nojs)
    nojs.get(nobase + f"/runs/{run}")
    assert nojs.find_element(By.CSS_SELECTOR, node).text == "3/5 ✗1", nojs.find_element(By.CSS_SELECTOR, node).text
    wait_for(d, lambda _: d.find_element(By.ID, "run-status").get_attribute("data-status") == "failed", "the end")
    wait_for(d, lambda _: d.find_element(By.CSS_SELECTOR, node).text == "5/5 ✗1", "all items done")
    wait_for(d, lambda _: d.find_element(By.CSS_SELECTOR, '#steps tr[data-step="fan"] [data-progress]').text
             == "5/5, 1 failed", "the steps table to follow")
    assert d.execute_script("return window.__notReloaded === true"), "the page was reloaded"


TESTS = [
    test_runs_page_lists_a_finished_run,
    test_run_detail_shows_the_graph_with_each_step,
    test_a_cli_run_appears_and_completes_without_reload,
    test_an_approval_in_the_browser_is_recorded_as_the_unix_user,
    test_a_forged_form_is_refused,
    test_a_viewer_token_cannot_approve,
    test_pages_work_with_javascript_disabled,
    test_the_console_link_works_once,
    test_workflow_pages_and_the_run_form,
    test_deliveries_replay_and_schedules,
    test_events_page_emits_and_lists,
    test_workflow_versions_and_a_diff_after_a_hot_reload,
    test_a_dry_run_shows_each_step_and_runs_nothing,
    test_for_each_progress_while_it_runs,
]


def main():
    passed = failed = 0
    h = Harness()
    try:
        d = h.browser()
        d.get(h.url)
        base = h.base
        for test in TESTS:
            name = test.__name__[5:].replace("_", " ")
            try:
                test(h, d, base)
                passed += 1
                print(f"ok   {name}", flush=True)
            except Exception as error:
                failed += 1
                print(f"FAIL {name}: {error}", flush=True)
                traceback.print_exc()
    except Exception as error:
        failed += 1
        print(f"FAIL harness: {error}", flush=True)
        traceback.print_exc()
    finally:
        h.close()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
