"""Nobody who has left keeps using BeWigan, even where ending their sessions
missed one (a session older than the session index, a job that failed)."""

from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.utils import timezone

from bewigan.people.roles import person_of

from .sessions import session_forget, session_track

CHECKED_KEY = "_bewigan_leaver_checked_on"


class LeaverSignOutMiddleware:
    """Runs after authentication, before anything reads personal data.

    - An account that can no longer sign in (every leaver's is deactivated)
      gets no user from Django's ModelBackend, so the request is already
      anonymous and LoginRequiredMiddleware sends it to sign-in. We also
      delete the session, so re-activating the account later (a rehire)
      never brings an old session back to life.
    - A person whose leaving date has come is signed out and sent to sign-in
      even while their account is still active (a leaving date the HR
      import set in advance is reached before the daily job runs). Leaving
      dates are days, so this is checked once per session per day: anything
      that makes someone a leaver during the day also deactivates them.
    - After the response it indexes the session under its user when the
      session's key has changed (sign-in, password change), so
      `sessions.sessions_end` can find it. No query when nothing changed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None:
            if not user.is_authenticated:
                if SESSION_KEY in session:
                    # A session whose account is gone or deactivated.
                    session_forget(session.session_key)
                    session.flush()
            else:
                today = timezone.localdate().isoformat()
                if session.get(CHECKED_KEY) != today:
                    person = person_of(user)
                    if person is not None and person.is_leaver:
                        logout(request)
                        return redirect_to_login(request.get_full_path())
                    session[CHECKED_KEY] = today
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            session_track(request, user)
        return response
