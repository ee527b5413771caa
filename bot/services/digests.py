"""Weekly digests per team (DESIGN §8): built from a few queries, posted once per week."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.domain.dates import DateParseError, parse_date
from bot.domain.digest import Digest, DigestNote, DigestTask, build_digest, week_monday
from bot.errors import InvalidInput
from bot.render.digest_view import digest_message
from bot.services import lease
from bot.services.cases import count_new_cases
from bot.services.context import Ctx
from bot.services.teams import find_team
from storage import digests, queries
from storage import teams as team_rows
from storage.models import Team

log = logging.getLogger(__name__)
STALE_CLAIM = timedelta(minutes=15)
DIGEST_TIME = time(9, 0)  # DESIGN §8: the first business day of the week, 09:00
RETRY_UNTIL = time(18, 0)  # a failed digest is retried until then on the day it failed
RETRY_MIN, RETRY_MAX = timedelta(minutes=5), timedelta(hours=1)


@dataclass(frozen=True)
class TeamDigest:
    team: Team
    digest: Digest


def _start_of(day: date, ctx: Ctx) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=ctx.clock.tz)


def _local_date(ctx: Ctx, at: datetime | None) -> date:
    assert at is not None
    return at.astimezone(ctx.clock.tz).date()


def team_digest(s: Session, *, ctx: Ctx, team: Team, today: date) -> Digest:
    """The digest of one team for today's week: three queries whatever the team's size."""
    start = week_monday(today)
    last_start = _start_of(start - timedelta(days=7), ctx)
    week_start = _start_of(start, ctx)
    last_monday = start - timedelta(days=7)
    tasks = digests.tasks_of_week(s, team_id=team.id, done_since=last_start)
    rows = [
        DigestTask(
            id=t.id or 0,
            kind=t.kind,
            title=t.title,
            due=t.due,
            status=t.status,
            assignee=t.assignee,
            done_on=t.done_at.astimezone(ctx.clock.tz).date() if t.done_at else None,
        )
        for t in tasks
    ]
    found = digests.notes_of_week(
        s, team_id=team.id, theme_id=team.theme_id, first=last_monday, before=start
    )
    notes = [
        DigestNote(
            as_of=n.as_of,
            written_on=_local_date(ctx, n.created_at),
            author=n.author,
            target=f"#{n.task_id}" if n.task_id else (code or ""),
            text=n.text,
        )
        for n, code in found
    ]
    new_cases = None
    if team.role == "case_admin":
        # The harassment PT hears how many cases were logged, never their content.
        new_cases = count_new_cases(s, since=last_start, until=week_start)
    return build_digest(
        team=team.name,
        today=today,
        tasks=rows,
        notes=notes,
        new_cases=new_cases,
        read_on=ctx.clock.today(),
    )


def preview(ctx: Ctx, *, user: str, team_name: str | None, week: str | None = None) -> Digest:
    """The digest a team would get this week (or the week of a given date)."""
    day = parse_week(ctx, week) if week else ctx.clock.today()
    with ctx.session() as s:
        if team_name:
            team = find_team(s, ctx=ctx, name=team_name)
        else:
            teams = queries.teams_of_user(s, user_id=user)
            if len(teams) != 1:
                raise InvalidInput("digest.no_team")
            team = teams[0]
        return team_digest(s, ctx=ctx, team=team, today=day)


def parse_week(ctx: Ctx, text: str) -> date:
    """Any date in the week; the digest is built as of that week's first business day."""
    try:
        day = parse_date(
            text, today=ctx.clock.today(), calendar=ctx.calendar, year_rule="recent"
        ).value
    except DateParseError:
        raise InvalidInput("digest.bad_week", text=text) from None
    return ctx.calendar.first_business_day_of_week(day)


def _claim(ctx: Ctx, *, team_id: int, week_start: date) -> bool:
    """Take the (team, week) row; False when it was posted or is being posted elsewhere."""
    now = ctx.clock.now()
    me = lease.holder_id(ctx)
    try:
        with ctx.session() as s:
            digests.insert_claim(s, team_id=team_id, week_start=week_start, holder=me, now=now)
        return True
    except IntegrityError:
        pass
    # A failed post, or a claim whose poster died (its instance lease ran out), is retaken.
    with ctx.session() as s:
        live = [*lease.live_instances(s, now=now), me]
        return digests.retake_claim(
            s,
            team_id=team_id,
            week_start=week_start,
            holder=me,
            live=live,
            now=now,
            stale_before=now - STALE_CLAIM,
        )


def _finish(ctx: Ctx, *, team_id: int, week_start: date, ts: str | None) -> None:
    with ctx.session() as s:
        digests.finish_post(s, team_id=team_id, week_start=week_start, ts=ts, now=ctx.clock.now())


def post_digests(
    ctx: Ctx, *, today: date, team_name: str | None = None, created_before: datetime | None = None
) -> list[TeamDigest]:
    """Post the week's digest to each team channel not yet served; returns what was posted.

    `created_before`: only teams that existed then (a catch-up later in the week leaves
    out teams created after the week's digest time).
    """
    assert ctx.gateway is not None, "posting needs a Slack gateway"
    week_start = week_monday(today)
    with ctx.session() as s:
        teams = (
            [find_team(s, ctx=ctx, name=team_name)]
            if team_name
            else digests.teams_with_channel(s, created_before=created_before)
        )
    if team_name and not teams[0].channel_id:
        raise InvalidInput("digest.no_channel", team=teams[0].name)
    posted = []
    beat_at: datetime | None = None
    for team in teams:
        # Alive while posting, so that nobody takes our claims for a dead poster's; renewed
        # once a third of the lease has passed (as the tick's heartbeat does), not per team:
        # a write and commit per team cost 15-45% of posting time.
        if beat_at is None or ctx.clock.now() - beat_at >= lease.lease_ttl(ctx) / 3:
            beat_at = ctx.clock.now()
            lease.heartbeat(ctx)
        if not team.channel_id or not _claim(ctx, team_id=team.id or 0, week_start=week_start):
            continue
        ts = None
        try:
            with ctx.session() as s:
                digest = team_digest(s, ctx=ctx, team=team, today=today)
            text, blocks = digest_message(ctx.lang, digest)
            ts = ctx.gateway.post(team.channel_id, text, blocks)
            posted.append(TeamDigest(team, digest))
        except Exception:
            log.exception("weekly digest for team %s failed", team.id)
        finally:
            _finish(ctx, team_id=team.id or 0, week_start=week_start, ts=ts)
    return posted


def post_weekly_digests(ctx: Ctx) -> int:
    """Scheduler job: from the week's first business day 09:00, post each team's digest once.

    It runs at 09:00 on every business day and at start-up. On the first business day it
    posts; on a later day of the week it only catches up the teams whose digest was
    missed (the bot was down that morning). The unique row per team and week keeps it
    to one post whatever runs when.
    """
    today = ctx.clock.today()
    if not ctx.calendar.is_business_day(today):
        return 0
    first = ctx.calendar.first_business_day_of_week(today)
    due = datetime.combine(first, DIGEST_TIME, tzinfo=ctx.clock.tz)
    if ctx.clock.now() < due:
        return 0
    return len(post_digests(ctx, today=today, created_before=due + timedelta(minutes=1)))


def catch_up_digests(ctx: Ctx) -> int:
    """Reminder tick: post this week's digests that are missing or whose poster died.

    Cheap when nothing is missing (two queries), so it runs every tick: a digest whose
    poster was killed goes out one tick after its lease runs out, not at the next 09:00.
    """
    today = ctx.clock.today()
    if not ctx.calendar.is_business_day(today):
        return 0
    due = datetime.combine(
        ctx.calendar.first_business_day_of_week(today), DIGEST_TIME, tzinfo=ctx.clock.tz
    )
    now = ctx.clock.now()
    if now < due:
        return 0
    before = due + timedelta(minutes=1)
    with ctx.session() as s:
        live = [*lease.live_instances(s, now=now), lease.holder_id(ctx)]
        missing = digests.a_team_missing(
            s,
            week_start=week_monday(today),
            created_before=before,
            live=live,
            stale_before=now - STALE_CLAIM,
        )
    if missing is None and not _failed_due_again(ctx, due=due):
        return 0
    return len(post_digests(ctx, today=today, created_before=before))


def _failed_due_again(ctx: Ctx, *, due: datetime) -> bool:
    """Whether a digest that failed today (a transient Slack error) is due for another try.

    Like reminders: retried with a back-off until RETRY_UNTIL of the day it failed, then it
    stays failed and the daily operator report lists it (`outbox_report`).
    """
    now = ctx.clock.now()
    if now.astimezone(ctx.clock.tz).time() >= RETRY_UNTIL:
        return False
    with ctx.session() as s:
        failed = digests.failed_of_week(s, week_start=week_monday(ctx.clock.today()))
    today = ctx.clock.today()
    return any(
        row.posted_at.astimezone(ctx.clock.tz).date() == today
        and now >= retry_at(ctx, row.posted_at, due=due)
        for row in failed
        if row.posted_at
    )


def retry_at(ctx: Ctx, failed_at: datetime, *, due: datetime) -> datetime:
    """When a digest that failed at `failed_at` is tried again (never on a later day).

    No attempt counter on the row: the pause is half the time since the digest was due
    (at least RETRY_MIN, at most RETRY_MAX), so it grows about 1.5 times per failure.
    """
    pause = min(max((failed_at - due) / 2, RETRY_MIN), RETRY_MAX)
    at = failed_at + pause
    if at.astimezone(ctx.clock.tz).date() != failed_at.astimezone(ctx.clock.tz).date():
        return datetime.max.replace(tzinfo=at.tzinfo)
    return at


def team_digests(ctx: Ctx, *, team_name: str | None, today: date) -> list[Digest]:
    """The digests of the week of `today`: of one team, or of every team not archived."""
    with ctx.session() as s:
        teams = (
            [find_team(s, ctx=ctx, name=team_name)]
            if team_name
            else list(team_rows.active_teams(s))
        )
        return [team_digest(s, ctx=ctx, team=tm, today=today) for tm in teams]
