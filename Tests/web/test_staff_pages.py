#!/usr/bin/env python3
"""The staff pages and /api/v1 in a real browser and over real HTTP.

Starts a real `reunite serve` (the built binary, REUNITE_BIN or .build/debug/reunite) on
127.0.0.1 with the staff pages on their own port, and drives it with headless Chromium
through Selenium. Screenshots of each page go to .build/screenshots/.

Run: python3 Tests/web/test_staff_pages.py  (scripts/test does, after building)
"""
import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
BINARY = os.environ.get("REUNITE_BIN", str(ROOT / ".build/debug/reunite"))
SHOTS = ROOT / ".build/screenshots"
PASSWORD = "correct horse battery"


class Node:
    """A node folder, the `reunite` commands on it, and its `reunite serve` process."""

    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="reunite-web-")
        self.data = os.path.join(self.folder, "node")
        self.run("init", "--name", "深圳市儿童医院")
        self.process = None

    def run(self, *args, stdin=None):
        result = subprocess.run([BINARY, *args, "--data", self.data], input=stdin, capture_output=True, text=True)
        if result.returncode != 0:
            raise AssertionError(f"reunite {' '.join(args)} failed: {result.stderr}")
        return result.stdout

    def events(self):
        return json.loads(self.run("log", "--json"))

    def serve(self):
        self.out = open(os.path.join(self.folder, "serve.out"), "w+")
        self.process = subprocess.Popen(
            [BINARY, "serve", "--listen", "127.0.0.1:0", "--web-listen", "127.0.0.1:0", "--data", self.data],
            stdout=self.out, stderr=subprocess.DEVNULL)
        deadline = time.time() + 30
        while time.time() < deadline:
            self.out.seek(0)
            text = self.out.read()
            sync = re.search(r"serving sync for \w+ on http://127.0.0.1:(\d+)", text)
            web = re.search(r"serving staff pages on http://127.0.0.1:(\d+)", text)
            if sync and web:
                self.sync_url = f"http://127.0.0.1:{sync.group(1)}"
                self.url = f"http://127.0.0.1:{web.group(1)}"
                return
            time.sleep(0.1)
        raise AssertionError("reunite serve did not start: " + text)

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
        shutil.rmtree(self.folder, ignore_errors=True)


def request(url, data=None, headers=None, method=None, opener=None):
    """(status, headers, body) of one HTTP request, without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    handlers = [NoRedirect()] + ([opener] if opener else [])
    build = urllib.request.build_opener(*handlers)
    body = data.encode() if isinstance(data, str) else data
    req = urllib.request.Request(url, data=body, headers=headers or {}, method=method)
    try:
        with build.open(req, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def form(fields):
    return urllib.parse.urlencode(fields)


class StaffPages(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        SHOTS.mkdir(parents=True, exist_ok=True)
        cls.node = Node()
        cls.node.run("staff", "add", "陈丽", stdin=PASSWORD + "\n")
        cls.node.run("staff", "add", "guesser", stdin=PASSWORD + "\n")
        cls.node.run("staff", "add", "leaver", stdin=PASSWORD + "\n")
        cls.case_id = json.loads(cls.node.run(
            "report-abduction", "--child-name", "李小明", "--sex", "male", "--born", "2009-10",
            "--missing-since", "2012-03-14", "--place", "四川省成都市", "--lat", "30.66", "--lon", "104.06",
            "--marks", "mole on left cheek", "--reporter", "李建国", "--relation", "父亲", "--json"))["id"]
        cls.node.run(
            "report-abduction", "--child-name", "王强", "--sex", "male", "--born", "2010",
            "--missing-since", "2012-10-02", "--place", "贵州省毕节市", "--reporter", "王", "--json")
        cls.node.serve()
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000",
                     "--lang=zh-CN", f"--user-data-dir={cls.node.folder}/chrome"):
            options.add_argument(flag)
        options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
        cls.browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        cls.browser.implicitly_wait(5)

    @classmethod
    def tearDownClass(cls):
        cls.browser.quit()
        cls.node.stop()

    # Helpers

    def open(self, path):
        self.browser.get(self.node.url + path)

    def shot(self, name):
        self.browser.save_screenshot(str(SHOTS / f"{name}.png"))

    def text(self, css):
        return self.browser.find_element(By.CSS_SELECTOR, css).text

    def fill(self, values):
        for name, value in values.items():
            element = self.browser.find_element(By.NAME, name)
            if element.tag_name == "select":
                Select(element).select_by_value(value)
            else:
                element.clear()
                element.send_keys(value)

    def click(self, element):
        """Clicks a button that loads a page, and waits for the new page."""
        page = self.browser.find_element(By.TAG_NAME, "html")
        element.click()

        def replaced(_):
            try:
                page.is_enabled()
                return False
            except WebDriverException:  # stale, or (mid-navigation) "does not belong to the document"
                return True

        WebDriverWait(self.browser, 15).until(replaced)

    def press(self, element_id):
        self.click(self.browser.find_element(By.ID, element_id))

    def sign_in(self, name="陈丽", password=PASSWORD):
        self.fill({"name": name, "password": password})
        self.press("sign-in")

    def session_cookie(self):
        return self.browser.get_cookie("reunite_session")

    # The tests run in name order, one story: signed out, sign in, record, find, decide, reunite.

    def test_01_signed_out_browser_goes_to_sign_in(self):
        self.open("/found")
        self.assertTrue(self.browser.current_url.startswith(self.node.url + "/login?next=/found"))
        self.assertEqual(self.text("h1"), "工作人员登录")
        self.shot("01-sign-in")

    def test_02_sign_in_reaches_the_dashboard(self):
        self.sign_in()  # on the sign-in page that /found sent us to
        self.assertEqual(self.browser.current_url, self.node.url + "/found")
        cookie = self.session_cookie()
        self.assertTrue(cookie["httpOnly"])
        self.assertEqual(cookie["sameSite"], "Strict")
        self.open("/")
        self.assertEqual(self.text("h1"), "概况")
        self.assertEqual(self.text("#open-cases strong"), "2")
        self.shot("02-dashboard")

    def test_03_record_a_found_child_with_chinese_name_and_marks(self):
        self.open("/new/found")
        self.shot("03-record-found-form")
        self.fill({"name": "小明", "sex": "male", "ageYears": "3", "ageExtraMonths": "2",
                   "ageUncertaintyMonths": "6", "foundOn": "2013-01-05", "place": "广东省深圳市",
                   "marks": "左脸有痣", "custody": "深圳市儿童福利院"})
        self.press("save")
        self.assertIn("/records/", self.browser.current_url)
        self.assertEqual(self.text("#saved"), "已保存。")
        self.assertEqual(self.text("#field-name"), "小明")
        self.assertEqual(self.text("#field-marks"), "左脸有痣")
        self.assertEqual(self.text("#field-ageMonths"), "3 岁 2 个月")
        self.assertEqual(self.text("#field-recordedBy"), "陈丽")
        first = self.browser.find_element(By.CSS_SELECTOR, "#candidate-1")
        self.assertIn(self.case_id[:12], first.text)
        self.assertIn("体貌特征：左脸有痣 ~ mole on left cheek", first.text)  # reasons in the page's language
        type(self).found_url = "/records/" + self.browser.current_url.split("?")[0].rsplit("/", 1)[1]
        type(self).found_id = type(self).found_url.rsplit("/", 1)[1]
        recorded = [e for e in self.node.events() if e["id"] == self.found_id][0]
        self.assertEqual(recorded["recordedBy"], "陈丽")
        self.assertEqual(recorded["ageMonths"], 38)
        self.browser.set_window_size(1280, 1500)
        self.shot("04-record-page-new")
        self.browser.set_window_size(1280, 1000)

    def test_03b_the_pair_waits_for_review(self):
        for _ in range(50):  # worked out in the background; a moment on a node this size
            self.open("/review")
            if self.browser.find_elements(By.ID, "review-complete"):
                break
            time.sleep(0.1)
        rows = self.browser.find_elements(By.CSS_SELECTOR, "#review tbody tr")
        self.assertEqual(len(rows), 1)
        self.assertIn(self.found_id[:12], rows[0].text)
        self.assertIn(self.case_id[:12], rows[0].text)
        self.shot("18-review")
        self.open("/")
        self.assertEqual(self.text("#to-review strong"), "1")

    def test_04_find_it_in_the_list(self):
        self.open("/found")
        self.fill({"q": "小明"})
        self.press("search")
        rows = self.browser.find_elements(By.CSS_SELECTOR, "#records tbody tr")
        self.assertEqual(len(rows), 1)
        self.assertIn(self.found_id[:12], rows[0].text)
        self.shot("05-found-list")
        self.open("/found?q=左脸")  # words are looked for in every field, marks too
        self.assertEqual(len(self.browser.find_elements(By.CSS_SELECTOR, "#records tbody tr")), 1)
        self.open("/found?q=nobody-by-this-name")
        self.assertEqual(len(self.browser.find_elements(By.CSS_SELECTOR, "#records tbody tr")), 0)
        self.open("/cases?place=成都&from=2012-01&to=2012-06")
        rows = self.browser.find_elements(By.CSS_SELECTOR, "#records tbody tr")
        self.assertEqual(len(rows), 1)
        self.assertIn("李小明", rows[0].text)
        self.click(rows[0].find_element(By.TAG_NAME, "a"))
        self.assertIn(self.case_id, self.browser.current_url)

    def test_05_a_bad_date_shows_the_error_and_records_nothing(self):
        before = len(self.node.events())
        self.open("/new/found")
        self.fill({"sex": "female", "foundOn": "2019-13-40", "place": "东莞", "name": "小红"})
        self.press("save")
        error = self.text("#foundOn-error")
        self.assertIn("日期格式不对", error)
        # The form keeps what was typed.
        self.assertEqual(self.browser.find_element(By.NAME, "name").get_attribute("value"), "小红")
        self.assertEqual(self.browser.find_element(By.NAME, "foundOn").get_attribute("aria-invalid"), "true")
        self.shot("06-bad-date")
        self.assertEqual(len(self.node.events()), before)

    def test_06_a_post_without_the_form_token_is_refused(self):
        before = len(self.node.events())
        cookie = self.session_cookie()
        headers = {"Cookie": f"reunite_session={cookie['value']}",
                   "Content-Type": "application/x-www-form-urlencoded"}
        fields = {"sex": "male", "foundOn": "2013-02-01", "place": "深圳", "reportedBy": "x"}
        status, _, body = request(self.node.url + "/new/found", form(fields), headers)
        self.assertEqual(status, 403)
        self.assertIn("表单已过期", body)
        status, _, _ = request(self.node.url + "/new/found", form({**fields, "_csrf": "0" * 64}), headers)
        self.assertEqual(status, 403)
        # With the right token but posted from another site's page (a browser says so in Origin).
        token = self.browser.find_element(By.NAME, "_csrf").get_attribute("value")
        status, _, _ = request(self.node.url + "/new/found", form({**fields, "_csrf": token}),
                               {**headers, "Origin": "http://evil.example"})
        self.assertEqual(status, 403)
        status, _, _ = request(self.node.url + "/login", form({"name": "陈丽", "password": PASSWORD}),
                               {"Content-Type": "application/x-www-form-urlencoded", "Origin": "http://evil.example"})
        self.assertEqual(status, 403)
        # Behind a reverse proxy, the host the browser used comes as X-Forwarded-Host.
        status, _, _ = request(self.node.url + "/login", form({"name": "陈丽", "password": PASSWORD}),
                               {"Content-Type": "application/x-www-form-urlencoded",
                                "Origin": "https://reunite.example", "X-Forwarded-Host": "reunite.example"})
        self.assertEqual(status, 303)
        self.assertEqual(len(self.node.events()), before)

    def test_06b_an_age_no_picker_offers_is_named_and_records_nothing(self):
        # The picker offers 0 to 17 years; a post made by hand may say anything. Years this large
        # overflowed when counted in months, which stopped the server.
        before = len(self.node.events())
        self.open("/new/found")
        token = self.browser.find_element(By.NAME, "_csrf").get_attribute("value")
        cookie = self.session_cookie()
        headers = {"Cookie": f"reunite_session={cookie['value']}",
                   "Content-Type": "application/x-www-form-urlencoded"}
        fields = {"sex": "male", "foundOn": "2013-02-01", "place": "深圳", "reportedBy": "x",
                  "ageYears": "999999999999999999", "_csrf": token}
        status, _, body = request(self.node.url + "/new/found", form(fields), headers)
        self.assertEqual(status, 422, body[:300])
        self.assertIn('id="ageMonths-error"', body)
        # The server is still there, and nothing was written.
        status, _, _ = request(self.node.url + "/new/found", None, {"Cookie": headers["Cookie"]})
        self.assertEqual(status, 200)
        self.assertEqual(len(self.node.events()), before)

    def test_07_confirm_the_match(self):
        self.open(self.found_url)
        candidate = self.browser.find_element(By.CSS_SELECTOR, "#candidate-1")
        candidate.find_element(By.CSS_SELECTOR, "input[value=marks]").click()
        candidate.find_element(By.CSS_SELECTOR, "input[name=note]").send_keys("父亲认出了痣")
        self.click(candidate.find_element(By.CSS_SELECTOR, "button.confirm"))
        self.assertEqual(self.text("#status"), "已比对")
        self.assertIn("已确认", self.text("#candidate-1"))
        matches = json.loads(self.node.run("list", "matches", "--json"))
        self.assertEqual(len(matches), 1)
        self.assertEqual(matches[0]["decidedBy"], "陈丽")
        self.assertEqual(matches[0]["evidence"], ["marks"])
        self.assertEqual(matches[0]["caseId"], self.case_id)

    def test_08_record_the_reunion_and_read_the_history(self):
        self.open(self.found_url)
        self.fill({"on": "2013-06-01", "place": "成都"})
        self.press("record-reunion")
        self.assertEqual(self.text("#status"), "已团聚")
        self.browser.find_element(By.ID, "correct-value").send_keys("李建国（父亲）")
        self.browser.find_element(By.ID, "correct-reason").send_keys("孩子已回家")
        Select(self.browser.find_element(By.ID, "correct-field")).select_by_value("custody")
        self.press("correct")
        self.assertEqual(self.text("#field-custody"), "李建国（父亲）")
        history = self.browser.find_elements(By.CSS_SELECTOR, "#history li")
        self.assertEqual(len(history), 2)
        self.assertIn("更正", history[1].text)
        self.assertIn("陈丽", history[1].text)
        self.assertIn("孩子已回家", history[1].text)
        self.shot("07-record-page")
        self.browser.set_window_size(390, 900)
        self.shot("08-record-page-phone")
        self.browser.set_window_size(1280, 1000)
        self.open("/")
        self.assertEqual(self.text("#reunions-year strong"), "0")  # reunited in 2013, not this year
        self.open(f"/records/{self.case_id}")
        self.assertEqual(self.text("#status"), "已团聚")

    def test_09_a_reunion_without_a_date_is_refused_with_its_reason(self):
        case = json.loads(self.node.run(
            "report-abduction", "--child-name", "张伟", "--sex", "male", "--missing-since", "2015",
            "--place", "广州", "--reporter", "张", "--json"))["id"]
        found = json.loads(self.node.run(
            "record-found", "--sex", "male", "--found-on", "2016", "--place", "广州", "--reported-by", "福利院",
            "--json"))["id"]
        self.node.run("confirm-match", "--case", case, "--found", found, "--by", "张医生")
        before = len(self.node.events())
        self.open(f"/records/{found}")
        self.press("record-reunion")
        self.assertIn("必填", self.text("#reunion-error"))
        self.assertEqual(len(self.node.events()), before)

    def test_09a_a_bad_correction_or_filter_is_named(self):
        before = len(self.node.events())
        self.open(f"/records/{self.case_id}")
        Select(self.browser.find_element(By.ID, "correct-field")).select_by_value("born")
        self.browser.find_element(By.ID, "correct-value").send_keys("2019-13")
        self.browser.find_element(By.ID, "correct-reason").send_keys("户口本")
        self.press("correct")
        self.assertIn("日期格式不对", self.text("#correct-error"))
        self.assertEqual(len(self.node.events()), before)
        self.open("/cases?from=2019-13")
        self.assertIn("日期格式不对", self.text("#filter-error"))
        self.assertEqual(len(self.browser.find_elements(By.CSS_SELECTOR, "#records tbody tr")), 0)

    def test_09b_record_a_sighting_of_a_case_then_retract_it(self):
        self.open(f"/new/sighting?case={self.case_id[:12]}")
        self.assertEqual(self.browser.find_element(By.NAME, "caseId").get_attribute("value"), self.case_id[:12])
        self.fill({"seenOn": "2013-02-11", "place": "东莞", "description": "网上有人出售一个像照片的男孩"})
        self.press("save")
        self.assertEqual(self.text("#field-caseId"), self.case_id[:12])
        self.shot("11-sighting")
        before = len(self.node.events())
        self.press("retract")  # no reason given
        self.assertIn("必填", self.text("#retract-error"))
        self.assertEqual(len(self.node.events()), before)
        self.browser.find_element(By.ID, "retract-reason").send_keys("网上的帖子是骗局")
        self.press("retract")
        self.assertEqual(self.text("#status"), "已撤销")
        self.assertIn("网上的帖子是骗局", self.text("#history"))
        self.assertEqual(len(self.node.events()), before + 1)

    def test_10_english_switch(self):
        self.open("/")
        self.press("language")
        self.assertEqual(self.text("h1"), "Dashboard")
        self.open("/new/found")
        self.fill({"sex": "male", "foundOn": "2013-13-01", "place": "x", "reportedBy": "y"})
        self.press("save")
        self.assertIn("is not a date", self.text("#foundOn-error"))
        self.shot("09-english-form-error")
        self.press("language")
        self.assertIn("登记被找到的孩子", self.browser.page_source)

    def test_11_peers_page(self):
        self.open("/peers")
        self.assertEqual(self.text("h1"), "同步")
        self.shot("10-peers")

    def test_11b_every_page_answers_and_is_saved(self):
        for name, path, title in [
            ("12-report-abduction-form", "/new/case", "登记寻亲案件"),
            ("13-sighting-form", "/new/sighting", "登记线索"),
            ("14-cases", "/cases", "寻亲案件"),
            ("15-sightings", "/sightings", "线索"),
            ("16-matches", "/matches", "比对决定"),
            ("17-reunions", "/reunions", "团聚"),
        ]:
            self.open(path)
            self.assertEqual(self.text("h1"), title)
            self.shot(name)
        self.open("/matches?status=confirmed")
        self.assertEqual(len(self.browser.find_elements(By.CSS_SELECTOR, "#records tbody tr")), 2)
        self.open("/records/" + "0" * 12)
        self.assertEqual(self.text("h1"), "找不到记录")

    def test_12_sign_out(self):
        self.open("/")
        self.press("logout")
        self.assertTrue(self.browser.current_url.startswith(self.node.url + "/login"))
        self.open("/cases")
        self.assertTrue(self.browser.current_url.startswith(self.node.url + "/login?next=/cases"))

    def test_13_lockout_after_repeated_failed_sign_ins(self):
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        statuses = [request(self.node.url + "/login", form({"name": "guesser", "password": f"wrong{i}"}), headers)[0]
                    for i in range(5)]
        self.assertEqual(statuses, [401, 401, 401, 401, 429])
        status, _, body = request(self.node.url + "/login", form({"name": "guesser", "password": PASSWORD}), headers)
        self.assertEqual(status, 429)
        self.assertIn("锁定", body)
        # Another account is not affected.
        status, headers_out, _ = request(
            self.node.url + "/login", form({"name": "leaver", "password": PASSWORD}), headers)
        self.assertEqual(status, 303)

    def test_14_disabling_an_account_ends_its_sessions(self):
        status, headers, _ = request(
            self.node.url + "/login", form({"name": "leaver", "password": PASSWORD}),
            {"Content-Type": "application/x-www-form-urlencoded"})
        cookie = re.search(r"reunite_session=(\w+)", headers["Set-Cookie"]).group(1)
        status, _, _ = request(self.node.url + "/", headers={"Cookie": f"reunite_session={cookie}"})
        self.assertEqual(status, 200)
        self.node.run("staff", "disable", "leaver")
        status, headers, _ = request(self.node.url + "/", headers={"Cookie": f"reunite_session={cookie}"})
        self.assertEqual(status, 303)
        self.assertTrue(headers["Location"].startswith("/login"))

    def test_14b_a_new_password_ends_older_sessions_and_lifts_the_lockout(self):
        self.node.run("staff", "add", "changer", stdin=PASSWORD + "\n")
        form_headers = {"Content-Type": "application/x-www-form-urlencoded"}
        status, headers, _ = request(self.node.url + "/login", form({"name": "changer", "password": PASSWORD}),
                                     form_headers)
        cookie = {"Cookie": "reunite_session=" + re.search(r"reunite_session=(\w+)", headers["Set-Cookie"]).group(1)}
        self.assertEqual(request(self.node.url + "/", headers=cookie)[0], 200)
        self.node.run("staff", "password", "changer", stdin="a brand new passphrase\n")
        self.assertEqual(request(self.node.url + "/", headers=cookie)[0], 303)
        self.assertEqual(request(self.node.url + "/login", form({"name": "changer", "password": PASSWORD}),
                                 form_headers)[0], 401)
        # The account locked by test 13 is let in again by an unlock.
        self.assertIn("locked until", self.node.run("staff", "list"))
        self.node.run("staff", "unlock", "guesser")
        self.assertEqual(request(self.node.url + "/login", form({"name": "guesser", "password": PASSWORD}),
                                 form_headers)[0], 303)

    def test_15_sync_and_pages_listen_apart(self):
        self.assertEqual(request(self.node.sync_url + "/login")[0], 404)
        self.assertEqual(request(self.node.sync_url + "/api/v1/dashboard")[0], 404)
        self.assertEqual(request(self.node.url + "/sync/v1/hello", data=b"x", method="POST")[0], 404)
        self.assertEqual(request(self.node.sync_url + "/health")[0], 200)

    def test_16_api(self):
        url = self.node.url + "/api/v1"
        json_headers = {"Content-Type": "application/json"}
        self.assertEqual(request(url + "/records?group=cases")[0], 401)
        status, _, body = request(url + "/sessions", json.dumps({"name": "陈丽", "password": "nope"}), json_headers)
        self.assertEqual(status, 401)
        status, _, body = request(url + "/sessions", json.dumps({"name": "陈丽", "password": PASSWORD}), json_headers)
        self.assertEqual(status, 201)
        auth = {"Authorization": "Bearer " + json.loads(body)["token"], **json_headers}

        status, _, body = request(url + "/records?group=found&q=" + urllib.parse.quote("小明"), headers=auth)
        self.assertEqual(status, 200)
        listed = json.loads(body)
        self.assertEqual(listed["total"], 1)
        self.assertEqual(listed["records"][0]["id"], self.found_id)
        self.assertEqual(listed["records"][0]["status"], "reunited")

        status, _, body = request(url + f"/records/{self.found_id[:10]}", headers=auth)
        self.assertEqual(status, 200)
        self.assertEqual(len(json.loads(body)["history"]), 2)
        status, _, body = request(url + f"/records/{self.case_id}/candidates?limit=3", headers=auth)
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body)[0]["id"], self.found_id)
        self.assertEqual(json.loads(body)[0]["match"], "confirmed")

        before = len(self.node.events())
        bad = [
            ({"kind": "childFound", "sex": "male", "foundOn": "2019-13-40", "place": "x", "reportedBy": "y"},
             "foundOn", "is not a date"),
            ({"kind": "childFound", "sex": "male", "place": "x", "reportedBy": "y"}, "foundOn", "required"),
            ({"kind": "childFound", "sex": "male", "foundOn": "2019", "place": "x", "reportedBy": "y",
              "recordedBy": "someone else"}, "recordedBy", "signed-in"),
            ({"kind": "reunited", "caseId": "00000000", "foundId": self.found_id, "on": "2020"}, "caseId",
             "no record"),
            ({"kind": "nothing"}, "kind", "is not one of"),
        ]
        for draft, field, words in bad:
            status, _, body = request(url + "/events", json.dumps(draft), auth)
            self.assertIn(status, (400, 404), body)
            problem = json.loads(body)
            self.assertEqual(problem.get("field"), field, body)
            self.assertIn(words, problem["message"])
        status, _, body = request(url + "/events", "{not json", auth)
        self.assertEqual(status, 400)
        self.assertEqual(json.loads(body)["error"], "invalidJSON")
        self.assertEqual(len(self.node.events()), before)

        sighting = {"kind": "sightingReported", "seenOn": "2013-02-11", "description": "车站看到一个像照片的男孩",
                    "caseId": self.case_id[:12]}
        status, _, body = request(url + "/events", json.dumps(sighting), auth)
        self.assertEqual(status, 201, body)
        made = json.loads(body)["id"]
        stored = [e for e in self.node.events() if e["id"] == made][0]
        self.assertEqual(stored["recordedBy"], "陈丽")
        self.assertEqual(stored["caseId"], self.case_id)

        for _ in range(50):
            status, _, body = request(url + "/review", headers=auth)
            self.assertEqual(status, 200)
            if json.loads(body)["complete"]:
                break
            time.sleep(0.1)
        self.assertEqual(json.loads(body)["pairs"], [])  # the pair was confirmed, then reunited
        status, _, body = request(url + "/dashboard", headers=auth)
        self.assertEqual(json.loads(body)["byStatus"]["cases"]["reunited"], 1)
        self.assertEqual(request(url + "/sessions", headers=auth, method="DELETE")[0], 204)
        self.assertEqual(request(url + "/dashboard", headers=auth)[0], 401)

    def test_17_every_api_path_is_in_the_openapi_document(self):
        document = json.loads((ROOT / "Protocol/openapi.json").read_text())
        source = (ROOT / "Sources/StaffWeb/StaffWeb+API.swift").read_text()
        paths = re.findall(r'"(/api/v1/[^"]*)"', source.split("apiPaths = [")[1].split("]")[0])
        self.assertEqual(sorted(document["paths"]), sorted(paths))

    def test_17b_bad_api_queries_and_serve_addresses_are_named(self):
        url = self.node.url + "/api/v1"
        status, _, body = request(url + "/sessions", "{not json", {"Content-Type": "application/json"})
        self.assertEqual((status, json.loads(body)["error"]), (400, "invalidJSON"))
        status, _, body = request(url + "/sessions", json.dumps({"name": "陈丽", "password": PASSWORD}),
                                  {"Content-Type": "application/json"})
        auth = {"Authorization": "Bearer " + json.loads(body)["token"]}
        for query, field in [("?group=everyone", "group"), ("?group=cases&limit=0", "limit"),
                             ("?group=cases&from=2019-13", "from"), ("?group=cases&status=lost", "status")]:
            status, _, body = request(url + "/records" + query, headers=auth)
            self.assertEqual((status, json.loads(body)["field"]), (400, field), body)
        status, _, body = request(url + f"/records/{self.case_id}/candidates?limit=-1", headers=auth)
        self.assertEqual((status, json.loads(body)["field"]), (400, "limit"))
        before = len(self.node.events())
        for option, value in [("--listen", "nonsense"), ("--web-listen", "127.0.0.1:99999")]:
            result = subprocess.run([BINARY, "serve", option, value, "--data", self.node.data],
                                    capture_output=True, text=True, timeout=30)
            self.assertNotEqual(result.returncode, 0)
            self.assertEqual(result.stderr, f'error: {option}: "{value}" is not HOST:PORT\n')
        self.assertEqual(len(self.node.events()), before)

    def test_18_the_ledger_still_verifies(self):
        self.assertTrue(json.loads(self.node.run("verify", "--json"))["ok"])


if __name__ == "__main__":
    os.environ.setdefault("SE_OFFLINE", "true")
    result = unittest.main(verbosity=2, exit=False, failfast=False).result
    sys.exit(0 if result.wasSuccessful() else 1)
