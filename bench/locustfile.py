"""Load profile for BeWigan: members of staff on a normal day.

Run headless (tests/production/test_load.py and bench/bench_load.py do):
    LOAD_USERS_FILE=emails.txt LOAD_PASSWORD=… LOAD_RESULT_FILE=out.json \
    locust -f bench/locustfile.py --headless -u 50 -r 10 -t 60s --host http://127.0.0.1:8000 --csv out

Each simulated person signs in through allauth's real form (CSRF included),
then opens pages and makes submissions. A submission counts as acknowledged
only when the server answered with its success redirect; the run writes the
number acknowledged to LOAD_RESULT_FILE so the caller can compare it with
the rows stored.

Adding a step is a few lines: write a `def step_x(user)` that makes its
requests through `user.client` (GET pages with `user.page(...)`, POST forms
with `user.submit_form(...)` or `bench.stack.fill_form`) and add it to STEPS
with a weight (see docs/deploy.md, "Load test").
"""

import itertools
import json
import os
import random
import re
import threading
import uuid

from locust import HttpUser, between, events, task

from bench.stack import fill_form

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RUN = os.environ.get("LOAD_RUN_ID", uuid.uuid4().hex[:8])
with open(os.environ["LOAD_USERS_FILE"]) as _fh:
    _emails = [e.strip() for e in _fh if e.strip()]
_next_email = itertools.count()
_answered_by_email: dict[str, set] = {}
_lock = threading.Lock()
ACKNOWLEDGED: dict[str, int] = {}


def acknowledge(kind: str) -> None:
    with _lock:
        ACKNOWLEDGED[kind] = ACKNOWLEDGED.get(kind, 0) + 1


# --- steps -----------------------------------------------------------------


def step_home(user):
    user.page("/", name="home")


def step_profile(user):
    user.page("/people/me/", name="profile")


def step_values(user):
    user.page("/values/", name="values")


def step_notifications(user):
    user.page("/notifications/", name="notifications")


def step_add_email(user):
    """A small write every person can make today: add an email address.

    Acknowledged = allauth's redirect after saving. Stored rows are counted
    by the caller: account_emailaddress rows with the run's prefix."""
    n = next(user.counter)
    email = f"load-{RUN}-{user.index}-{n}@bewigan.invalid"
    if user.submit_form(
        "/accounts/email/", {"email": email, "action_add": ""}, name="add email", ok_redirect=True
    ):
        acknowledged_email_adds.append(email)
        acknowledge("email_address")


acknowledged_email_adds: list[str] = []
ANSWER_LINK = re.compile(r'href="(/surveys/waves/\d+/answer/)"')


def step_answer_pulse(user):
    """Answer an open pulse survey (once per wave, as the service allows).

    Acknowledged = the redirect to the thank-you page; the caller compares
    with the rows in surveys_response."""
    listing = user.page("/surveys/", name="surveys")
    links = [link for link in ANSWER_LINK.findall(listing.text) if link not in user.answered]
    if not links:
        return
    link = links[0]
    user.answered.add(link)
    form = user.client.get(link, name="pulse form")
    if form.status_code != 200:
        return
    data = fill_form(form.text)
    with user.client.post(
        link, data=data, name="answer pulse", allow_redirects=False, catch_response=True
    ) as response:
        if response.status_code == 302 and "thank-you" in response.headers.get("Location", ""):
            acknowledge("survey_response")
        else:
            response.failure(f"answer answered {response.status_code}")


UPCOMING_SECTION = re.compile(r"Coming up</h2>(.*?)<h2", re.S)
CONVERSATION_LINK = re.compile(r'href="(/my-time/conversations/\d+/)"')
POINT_FORM = re.compile(
    r'<form method="post" action="(/my-time/conversations/\d+/talking-points/)"'
)


def step_add_talking_point(user):
    """Edit a my-time agenda: add a talking point to the next my time with
    one's manager (each load user has one, bench/load_users.py).

    Acknowledged = the redirect back to that conversation's agenda; the
    caller counts the appraisals_talkingpoint rows with the run's prefix."""
    with user.client.get(
        "/my-time/", name="my time", allow_redirects=False, catch_response=True
    ) as home:
        section = UPCOMING_SECTION.search(home.text) if home.status_code == 200 else None
        links = CONVERSATION_LINK.findall(section.group(1)) if section else []
        if not links:
            home.failure(f"no upcoming my time to add a talking point to ({home.status_code})")
            return
    with user.client.get(
        links[0], name="my-time conversation", allow_redirects=False, catch_response=True
    ) as page:
        action = POINT_FORM.search(page.text) if page.status_code == 200 else None
        token = CSRF_RE.search(page.text)
        if not (action and token):
            page.failure(f"no talking point form on the upcoming my time ({page.status_code})")
            return
    n = next(user.counter)
    text = f"load-{RUN}-{user.index}-{n}: rota cover over the holidays"
    with user.client.post(
        action.group(1),
        data={"text": text, "csrfmiddlewaretoken": token.group(1)},
        name="add talking point",
        allow_redirects=False,
        catch_response=True,
    ) as response:
        if response.status_code == 302 and response.headers.get("Location", "").startswith(
            f"{links[0]}#agenda"
        ):
            acknowledge("talking_point")
        else:
            response.failure(f"talking point answered {response.status_code}")


# (weight, step)
STEPS = [
    (6, step_home),
    (2, step_profile),
    (2, step_values),
    (1, step_notifications),
    (1, step_add_email),
    (1, step_answer_pulse),
    (2, step_add_talking_point),
]


class Person(HttpUser):
    """What every simulated member of staff can do: sign in, open pages, send forms."""

    abstract = True

    def sign_in(self, person: int):
        self.email = _emails[person % len(_emails)]
        # The waves this person has answered, whoever simulated them: each
        # answers a wave once, as the service allows.
        self.answered = _answered_by_email.setdefault(self.email, set())
        # Each person comes from their own address, as they would through nginx
        # (X-Forwarded-For with TRUSTED_PROXY_COUNT=1), so per-IP rate limits apply per person.
        self.client.headers["X-Forwarded-For"] = f"10.77.{person // 250}.{person % 250 + 1}"
        token = self._csrf("/accounts/login/", name="sign-in form")
        with self.client.post(
            "/accounts/login/",
            data={
                "login": self.email,
                "password": os.environ["LOAD_PASSWORD"],
                "csrfmiddlewaretoken": token,
            },
            name="sign in",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign in answered {response.status_code}")

    def _csrf(self, path, *, name):
        response = self.client.get(path, name=name)
        match = CSRF_RE.search(response.text)
        return match.group(1) if match else ""

    def page(self, path, *, name):
        with self.client.get(
            path, name=name, catch_response=True, allow_redirects=False
        ) as response:
            if response.status_code != 200:
                response.failure(f"{path} answered {response.status_code}")
            return response

    def submit_form(self, path, data, *, name, ok_redirect):
        token = self._csrf(path, name=f"{name} (form)")
        with self.client.post(
            path,
            data={**data, "csrfmiddlewaretoken": token},
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            ok = response.status_code == 302 if ok_redirect else response.status_code == 200
            if not ok:
                response.failure(f"{path} answered {response.status_code}")
            return ok


class StaffMember(Person):
    """A normal day: everyone signs in once at the start, then uses the site."""

    wait_time = between(
        float(os.environ.get("LOAD_WAIT_MIN", "0.2")), float(os.environ.get("LOAD_WAIT_MAX", "1.0"))
    )

    def on_start(self):
        with _lock:
            self.index = next(_next_email)
        self.counter = itertools.count()
        self.sign_in(self.index)

    @task
    def one_step(self):
        steps, weights = zip(*[(s, w) for w, s in STEPS], strict=True)
        random.choices(steps, weights=weights)[0](self)


class MorningArrival(Person):
    """The morning peak (issue #15): people arrive one after another, sign
    in, read the home page, answer the pulse survey, open my time (and add a
    talking point to their next one), then sign out; the next person takes
    the simulated user's place. With 50 users and 4-10 s between steps (a
    visit of about 35 s), about 1.4 people sign in per second: 5,000 staff
    in an hour. Run it with the class name:
    `locust -f bench/locustfile.py MorningArrival ...`."""

    wait_time = between(
        float(os.environ.get("LOAD_WAIT_MIN", "4")), float(os.environ.get("LOAD_WAIT_MAX", "10"))
    )

    def on_start(self):
        self.counter = itertools.count()
        self.stage = 0

    @task
    def next_step(self):
        """One step per task, so the wait between steps is locust's own and a
        run that ends mid-visit stops between requests, not inside one."""
        stage, self.stage = self.stage, (self.stage + 1) % 5
        if stage == 0:
            with _lock:
                person = next(_next_arrival)
            self.index = person  # names this visit's talking point
            self.client.cookies.clear()
            self.sign_in(person)
        elif stage == 1:
            step_home(self)
        elif stage == 2:
            step_answer_pulse(self)
        elif stage == 3:
            step_add_talking_point(self)
        else:
            with self.client.post(
                "/accounts/logout/",
                data={"csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")},
                name="sign out",
                allow_redirects=False,
                catch_response=True,
            ) as response:
                if response.status_code != 302:
                    response.failure(f"sign out answered {response.status_code}")


_next_arrival = itertools.count()


@events.quitting.add_listener
def _write_results(environment, **kwargs):
    path = os.environ.get("LOAD_RESULT_FILE")
    if path:
        with open(path, "w") as fh:
            json.dump(
                {"acknowledged": ACKNOWLEDGED, "run": RUN, "email_adds": acknowledged_email_adds},
                fh,
            )
