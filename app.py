"""mlpm: the Streamlit app's only entrypoint (``streamlit run app.py``).

Page files end in ``_page.py`` and every page has an explicit ``url_path`` that is not a file
name in ``pages/``: Streamlit still sees the ``pages/`` folder as an old-style multipage app on
a process's first run (and on every AppTest run), and would run a page whose URL equals a file
name directly, without this entrypoint (no sidebar, no scenario loaded from the URL).
"""

import streamlit as st

from mlpm_ui import access, sharing, sponsor, state, summary, team
from mlpm_ui.workshop_present import presenting

st.set_page_config(page_title="mlpm", layout="wide")


def _page(file: str, title: str, url_path: str, icon: str, default: bool = False) -> st.Page:
    return st.Page(f"pages/{file}_page.py", title=title, url_path=url_path,
                   icon=f":material/{icon}:", default=default)


HOME = _page("home", "Home", "start", "home", default=True)


def _home_alias() -> None:
    """``/home`` (a bookmark, or a link typed from the page's name): the home page, with the
    query (the open scenario) kept. The default page is served at ``/`` only, so without this
    hidden page Streamlit showed "Page not found" first."""
    st.switch_page(HOME, query_params=st.query_params.to_dict())


PAGES = {
    "": [HOME, st.Page(_home_alias, title="Home", url_path="home", visibility="hidden")],
    "Questions": [
        _page("project", "Project", "project", "flag"),
        _page("data", "Data", "data", "database"),
        _page("difficulty", "Difficulty", "difficulty", "psychology"),
        _page("quality", "Quality", "quality", "target"),
        _page("technical", "Technical", "technical", "memory"),
        _page("team_tasks", "Team & tasks", "team-and-tasks", "groups"),
        _page("costs_value", "Costs & value", "costs-and-value", "payments"),
        _page("rules", "Rules", "rules", "rule"),
    ],
    "Results": [
        _page("report", "Report", "report", "summarize"),
        _page("calibration", "Actuals & calibration", "calibration", "tune"),
    ],
    "Together": [
        _page("workshop", "Workshop", "workshop", "diversity_3"),
        _page("portfolio", "Portfolio", "portfolio", "compare"),
        st.Page("pages/join_page.py", title="Join a workshop", url_path="join",
                icon=":material/login:", visibility="hidden"),  # opened by a room's link
    ],
}

if sponsor.requested():  # a sponsor link: one version's Report, no other page, no sign-in
    st.navigation(sponsor.pages(), position="hidden").run()
    st.stop()
if team.enabled():  # a team server: nobody gets further than the sign-in page signed out
    if not team.signed_in(state.raw_store()):
        st.navigation(team.sign_in_pages(), position="hidden").run()
        st.stop()
elif not access.unlocked():  # a meeting-room server, and this browser did not bring the key
    st.navigation(access.locked_pages(), position="hidden").run()
    st.stop()
page = st.navigation(PAGES, expanded=True)  # every page in sight, none behind "View more"
team.account_box()
state.sync()
state.note_page(page.url_path)
summary.render_sidebar(show_estimate=not presenting(page.url_path))  # no anchor on screen
state.show_messages()
sharing.read_only_note()
page.run()
