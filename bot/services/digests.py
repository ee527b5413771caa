"""Weekly digests per team (DESIGN §8): built from a few queries, posted once per week."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import Session

from bot.domain.dates import DateParseError, parse_date
from bot.domain.digest import (
    MILESTONE_HORIZON,
    Digest,
    DigestNote,
    DigestTask,
    build_digest,
    week_monday,
)
from bot.errors import InvalidInput
from bot.render.digest_view import MAX_LINES, digest_message
from bot.services import access, lease
from bot.services.cases import count_new_cases
from bot.services.context import Ctx
from bot.services.paced_pool import ChannelPool
from bot.services.teams import find_team
from storage import digests, queries
from storage import teams as team_rows
from storage.models import Team

log = logging.getLogger(__name__)
STALE_CLAIM = timedelta(minutes=15)
DIGEST_TIME = time(9, 0)  # DESIGN §8: the first business day of the week, 09:00
RETRY_UNTIL = time(18, 0)  # a failed digest is retried until then on the day it failed
RETRY_MIN, RETRY_MAX = timedelta(minutes=5), timedelta(hours=1)
SENDERS = 8  # threads posting at once (each channel is still one message a second)
CHUNK = 50  # teams built per round of queries; the first are posted while the next build


@dataclass(frozen=True)
class TeamDigest:
    team: Team
    digest: Digest


def _start_of(day: date, ctx: Ctx) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=ctx.clock.tz)


def _local_date(ctx: Ctx, at: datetime | None) -> date:
    assert at is not None
    return at.astimezone(ctx.clock.tz).date()


def week_digests(
    s: Session, *, ctx: Ctx, teams: Sequence[Team], today: date, first: int | None = None
) -> dict[int, Digest]:
    """The digests of today's week of `teams` (team id -> digest), in three or four queries
    whatever the number of teams and their size.

    `first`: each task section lists only its first so many tasks and counts the rest (what
    a posted digest shows); None lists them all (a preview, whose lists callers read).
    """
    start = week_monday(today)
    last_monday = start - timedelta(days=7)
    bounds = digests.WeekBounds(
        today=today,
        next_start=start + timedelta(days=7),
        horizon=today + MILESTONE_HORIZON,
        done_from=_start_of(last_monday, ctx),
        done_before=_start_of(start, ctx),
    )
    ids = [team.id or 0 for team in teams]
    tasks: dict[int, list[DigestTask]] = {team_id: [] for team_id in ids}
    totals: dict[int, dict[str, int]] = {team_id: {} for team_id in ids}
    tz = ctx.clock.tz
    for t in digests.section_tasks(s, team_ids=ids, bounds=bounds, first=first):
        done_on = t.done_at.astimezone(tz).date() if t.done_at else None
        row = DigestTask(t.id, t.kind, t.title, t.due, t.status, t.assignee, done_on)
        tasks[t.team_id].append(row)
        totals[t.team_id][t.section] = t.total
    notes: dict[int, list[DigestNote]] = {team_id: [] for team_id in ids}
    theme_of = {team.id or 0: team.theme_id for team in teams}
    for n in digests.notes_of_teams(s, theme_of=theme_of, first=last_monday, before=start):
        target = f"#{n.task_id}" if n.task_id else (n.theme_code or "")
        note = DigestNote(n.as_of, _local_date(ctx, n.created_at), n.author, target, n.text)
        notes[n.team_id].append(note)
    new_cases = None
    if any(team.role == "case_admin" for team in teams):
        # The harassment PT hears how many cases were logged, never their content.
        new_cases = count_new_cases(s, since=bounds.done_from, until=bounds.done_before)
    read_on = ctx.clock.today()
    return {
        team.id or 0: build_digest(
            team=team.name,
            today=today,
            tasks=tasks[team.id or 0],
            notes=notes[team.id or 0],
            new_cases=new_cases if team.role == "case_admin" else None,
            read_on=read_on,
            totals=totals[team.id or 0] if first is not None else None,
        )
        for team in teams
    }


def team_digest(s: Session, *, ctx: Ctx, team: Team, today: date) -> Digest:
    """The digest of one team for today's week, every section listed whole."""
    return week_digests(s, ctx=ctx, teams=[team], today=today)[team.id or 0]


def preview(ctx: Ctx, *, user: str, team_name: str | None, week: str | None = None) -> Digest:
    """The digest a team would get this week (or the week of a given date)."""
    day = parse_week(ctx, week) if week else ctx.clock.today()
    with ctx.session() as s:
        if team_name:
            team = find_team(s, ctx=ctx, name=team_name)
            # Another ward's team's digest is its members' (DESIGN §11), as its task list is.
            access.require_team_visible(s, team=team, user=user)
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


def _claim(ctx: Ctx, *, team_ids: list[int], week_start: date) -> set[int]:
    """Take the teams' (team, week) rows; leaves out those posted or being posted elsewhere."""
    now = ctx.clock.now()
    me = lease.holder_id(ctx)
    ids = sorted(team_ids)  # every caller locks the rows in the same order
    with ctx.session() as s:
        mine = digests.insert_claims(s, team_ids=ids, week_start=week_start, holder=me, now=now)
    rest = [team_id for team_id in ids if team_id not in mine]
    if rest:
        # A failed post, or a claim whose poster died (its instance lease ran out), is retaken.
        with ctx.session() as s:
            live = [*lease.live_instances(s, now=now), me]
            mine |= digests.retake_claims(
                s,
                team_ids=rest,
                week_start=week_start,
                holder=me,
                live=live,
                now=now,
                stale_before=now - STALE_CLAIM,
            )
    return mine


def _finish(ctx: Ctx, *, posts: dict[int, str | None], week_start: date) -> None:
    with ctx.session() as s:
        digests.finish_posts(s, posts=posts, week_start=week_start, now=ctx.clock.now())


class DigestSender:
    """Posts claimed digests on SENDERS threads, each channel at the gateway's pace.

    As the reminder tick's sender (bot.services.outbox_sender.PacedSender), on the same
    `paced_pool.ChannelPool`: a queue per channel, the next send of a channel when its
    `ChannelPacer` allows (its first too: it may have been posted to a moment ago);
    nothing more is posted once the instance is stopping or the database refused to
    record a post, and the claims not posted are given back at `close` so the next
    poster takes them at once.
    """

    def __init__(self, ctx: Ctx, *, week_start: date, claimed: set[int]) -> None:
        assert ctx.gateway is not None
        self.ctx, self.week_start = ctx, week_start
        self.unsent = set(claimed)  # claims not yet tried
        self.halted = threading.Event()  # the database refused a write: post nothing more
        self.error: Exception | None = None
        self.lock = threading.Lock()  # guards unsent, error, posted, outcomes, recording
        self.pool: ChannelPool[tuple[Team, Digest]] = ChannelPool(
            pacer=ctx.gateway.pacer,
            send=lambda job: self._send(*job),
            stopped=self.stopped,
            on_error=self._unexpected,
            senders=SENDERS,
            name="digest",
            pace_first=True,
        )
        self.posted: list[TeamDigest] = []
        self.outcomes: dict[int, str | None] = {}  # team id -> ts (None: failed), to write
        self.recording = False  # a thread is writing outcomes
        self.beat_at = ctx.clock.now()

    def stopped(self) -> bool:
        """True once nothing more may be posted (database refused a write, or shutdown)."""
        return self.halted.is_set() or self.ctx.stopping.is_set()

    def keep_alive(self) -> None:
        """Renew the instance lease once a third of it has passed (as the tick's heartbeat).

        Alive while posting, so that nobody takes our claims for a dead poster's; not per
        team: a write and commit per team cost 15-45% of posting time.
        """
        if self.ctx.clock.now() - self.beat_at >= lease.lease_ttl(self.ctx) / 3:
            self.beat_at = self.ctx.clock.now()
            lease.heartbeat(self.ctx)

    def add(self, jobs: list[tuple[Team, Digest]]) -> None:
        """Queue built digests; the senders start on them at once."""
        self.pool.add((team.channel_id or "", (team, digest)) for team, digest in jobs)

    def fail(self, teams: Sequence[Team]) -> None:
        """Record digests that could not be built as failed (retried later, as a failed post)."""
        for team in teams:
            self.unsent.discard(team.id or 0)
        _finish(self.ctx, posts={team.id or 0: None for team in teams}, week_start=self.week_start)

    def _send(self, team: Team, digest: Digest) -> None:
        with self.lock:  # _halt sets `halted` under this lock: checked and taken at once
            if self.stopped():  # halted since the pool looked: stays unsent, given back
                return
            self.unsent.discard(team.id or 0)
        self._post(team, digest)

    def _unexpected(self, job: tuple[Team, Digest]) -> None:
        log.exception("weekly digest for team %s: unexpected error", job[0].id)

    def _post(self, team: Team, digest: Digest) -> None:
        gateway = self.ctx.gateway
        assert gateway is not None and team.channel_id
        ts = None
        try:
            text, blocks = digest_message(self.ctx.lang, digest)
            ts = gateway.post(team.channel_id, text, blocks)
        except Exception:
            log.exception("weekly digest for team %s failed", team.id)
        with self.lock:
            if ts:
                self.posted.append(TeamDigest(team, digest))
            self.outcomes[team.id or 0] = ts
            if self.recording:
                return  # the thread writing now writes ours next, with the others' since
            self.recording = True
        self._record()

    def _record(self) -> None:
        """Write the outcomes gathered so far, in one statement, until none is left.

        Posts that finish while one thread writes are written together next (a group
        commit): a round trip and a commit for a few teams rather than one for each.
        """
        while True:
            with self.lock:
                posts, self.outcomes = self.outcomes, {}
                if not posts or self.halted.is_set():
                    self.recording = False
                    return
            try:
                _finish(self.ctx, posts=posts, week_start=self.week_start)
            except Exception as exc:  # Slack has them, the database does not know: stop here
                self._halt(exc)

    def _halt(self, exc: Exception) -> None:
        with self.lock:
            if self.error is None:
                log.error("weekly digests: the database refused a write (%s); posting stopped",
                          type(exc).__name__)  # fmt: skip
                self.error = exc
            self.halted.set()
        self.pool.wake()

    def close(self) -> None:
        """Post what is queued (unless stopped), stop the threads, give back the rest.

        Raises the database's refusal, if there was one (as posting one by one did).
        """
        self.pool.close(every=self.keep_alive)
        if self.unsent:
            why = "shutting down" if self.ctx.stopping.is_set() else "stopped"
            log.warning("weekly digests: %s claimed digests given back (%s)", len(self.unsent),
                        why)  # fmt: skip
            try:
                with self.ctx.session() as s:
                    digests.release_claims(s, team_ids=self.unsent, week_start=self.week_start,
                                           holder=lease.holder_id(self.ctx))  # fmt: skip
            except Exception:  # kept claimed: retaken once our instance lease runs out
                log.warning("weekly digests: %s claims not given back", len(self.unsent))
        if self.error is not None:
            raise self.error


def post_digests(
    ctx: Ctx, *, today: date, team_name: str | None = None, created_before: datetime | None = None
) -> list[TeamDigest]:
    """Post the week's digest to each team channel not yet served; returns what was posted.

    `created_before`: only teams that existed then (a catch-up later in the week leaves
    out teams created after the week's digest time). All the teams are claimed in one
    statement, built CHUNK at a time and posted in parallel (one message a second per
    channel is Slack's limit, not one a second in all).
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
    teams = [team for team in teams if team.channel_id]
    if not teams:
        return []
    lease.heartbeat(ctx)  # alive before claiming: nobody takes our claims for a dead poster's
    mine = _claim(ctx, team_ids=[team.id or 0 for team in teams], week_start=week_start)
    claimed = [team for team in teams if team.id in mine]
    if not claimed:
        return []
    sender = DigestSender(ctx, week_start=week_start, claimed=mine)
    try:
        for at in range(0, len(claimed), CHUNK):
            if sender.stopped():
                break
            chunk = claimed[at : at + CHUNK]
            try:
                with ctx.session() as s:
                    built = week_digests(s, ctx=ctx, teams=chunk, today=today, first=MAX_LINES)
            except Exception:
                log.exception("weekly digests of %s teams could not be built", len(chunk))
                sender.fail(chunk)
                continue
            sender.add([(team, built[team.id or 0]) for team in chunk])
            sender.keep_alive()
    finally:
        sender.close()
    place = {team.id: n for n, team in enumerate(claimed)}
    return sorted(sender.posted, key=lambda item: place[item.team.id])


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
