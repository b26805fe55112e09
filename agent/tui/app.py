"""The interview app: chat, answer box, map, findings and coverage around one `InterviewEngine`.

The app owns every state change. Workers do the slow parts (a question streamed by the writer, an
answer extracted on a thread, the embedder loaded) and only post messages (`agent.tui.messages`);
the handlers here update the engine's turn and the widgets. The order of a turn never changes:
Enter -> `engine.answer` (on disk) -> the answer shown -> extraction (thread) -> map, findings and
coverage -> the next question planned and streamed. Nothing typed is lost: the answer box is cleared
only once the answer is on disk.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import ClassVar

from textual.app import App, ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.events import Resize
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, TabbedContent, TabPane, TextArea
from textual.worker import Worker

from agent.checks.divergence import TextEmbedder
from agent.interview.engine import InterviewEngine
from agent.interview.session_files import load_draft, save_draft
from agent.interview.session_log import read_session
from agent.tui.actions import ACTIONS, Scope, action_for, bindings
from agent.tui.chat import AnswerBox, AnswerMessage, ChatLog, NoteMessage, QuestionMessage
from agent.tui.coverage import CoverageBoardView
from agent.tui.findings import FindingsView
from agent.tui.help import HelpScreen
from agent.tui.map_pane import EditElementScreen, ElementEdit, MapList, MapPane, find_element
from agent.tui.messages import (
    AnswerExtracted,
    EmbedderFailed,
    EmbedderReady,
    EngagementMapFailed,
    EngagementMapRebuilt,
    ExtractionFailed,
    QuestionFailed,
    QuestionPiece,
    QuestionWritten,
    describe_error,
)
from schemas.engagement import MergeDecision, MergeProposal
from schemas.evidence import Review
from schemas.interview import AnswerEvent, ElementChange, PatchEvent, Probe, ProbeKind, QuestionEvent
from schemas.value_map import COLLECTIONS

EmbedderLoader = Callable[[], TextEmbedder]

WIDE = 120  # columns from which chat and map sit side by side
TALL = 40  # rows from which the coverage board stays in view under the map


class Phase(StrEnum):
    """Where the current turn is; decides what Enter, Esc and the retry keys do."""

    STARTING = "starting"
    WRITING = "writing"  # a question is being written (streamed)
    ASKED = "asked"  # the question is on disk and on screen: waiting for the answer
    EXTRACTING = "extracting"  # the answer is on disk; the map is being updated
    QUESTION_FAILED = "question_failed"  # cancelled, or the writer failed: bank question or retry
    EXTRACTION_FAILED = "extraction_failed"  # the answer is on disk, not in the map: retry or go on


def _key(action: str) -> str:
    """The first key of an action, as printed in the status line and notifications."""
    return action_for(action).key_label.split(" / ")[0]


_STATUS = {
    Phase.STARTING: "Opening the session…",
    Phase.WRITING: f"Writing the question…  {_key('cancel_question')} cancels",
    Phase.ASKED: "Your turn: {who}'s answer. Enter sends, {new_line} new line",
    Phase.EXTRACTING: "Answer saved. Updating the map…",
    Phase.QUESTION_FAILED: f"No question asked.  {_key('use_bank_question')} bank question · {_key('retry')} retry",
    Phase.EXTRACTION_FAILED: f"Answer saved, not in the map.  {_key('retry')} retry · "
                             f"{_key('skip_extraction')} next question",
}

_WAIT = {
    Phase.STARTING: "The session is opening; your text stays in the box.",
    Phase.WRITING: "The question is still being written; your text stays in the box.",
    Phase.EXTRACTING: "The last answer is being mapped; your text stays in the box.",
    Phase.QUESTION_FAILED: f"No question is asked yet: {_key('use_bank_question')} asks the bank's question, "
                           f"{_key('retry')} retries. Your text stays in the box.",
    Phase.EXTRACTION_FAILED: f"The last answer is not mapped yet: {_key('retry')} retries, "
                             f"{_key('skip_extraction')} goes on. Your text stays in the box.",
}


def patch_note(patch: PatchEvent) -> str:
    """What one answer added to the map, in a line: `Map: +1 stage, +2 thresholds; 1 more quote`."""
    added: dict[str, int] = {}
    quotes = 0
    for change in patch.changes:
        if change.element is not None:
            added[change.collection] = added.get(change.collection, 0) + 1
        quotes += len(change.new_evidence)
    parts = [f"+{n} {COLLECTIONS[c].kind_name}{'' if n == 1 else 's'}" for c, n in added.items()]
    if quotes:
        parts.append(f"{quotes} more quote{'' if quotes == 1 else 's'} for elements told before")
    parts += [f"“{m.told_as}” merged into “{m.into_name}”" for m in patch.merged]
    if patch.corrections:
        n = len(patch.corrections)
        parts.append(f"{n} correction{'' if n == 1 else 's'} to accept or reject in the map")
    return "Map: " + (", ".join(parts) if parts else "nothing new in this answer")


class InterviewApp(App[None]):
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses elsewhere find it too
    TITLE = "Wasteless VSM"
    BINDINGS: ClassVar[list[BindingType]] = bindings(Scope.APP)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]  # noqa: RUF012 (typed by App)
    VERTICAL_BREAKPOINTS = [(0, "-short"), (TALL, "-tall")]  # noqa: RUF012

    def __init__(self, engine: InterviewEngine, *, mode: str, embedder_loader: EmbedderLoader | None = None) -> None:
        super().__init__()
        self.engine = engine
        self.mode = mode  # "offline: ..." or the model's name: shown in the header
        self.embedder_loader = embedder_loader
        self.phase = Phase.STARTING
        self.probe: Probe | None = None  # the probe of the question being written, or failed
        self._turn = 0  # bumped per question written; stale pieces of a cancelled one are dropped
        self._question_worker: Worker[None] | None = None
        self._question_widget: QuestionMessage | None = None
        self._reviews_waiting: list[Callable[[], None]] = []
        self._merges: list[MergeProposal] = []  # the engagement's uncertain merges (inside a workspace)
        self._merge_decisions = 0  # numbers the decisions, so only the newest rebuilt map is used
        self._merge_map_shown = 0
        self._rebuilding = threading.Lock()  # one synthesis at a time
        self._draft_failed = False
        self._extraction_idle = threading.Event()  # cleared while an answer is being extracted on a thread
        self._extraction_idle.set()

    # -- layout ---------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            with Vertical(id="chat-pane"):
                yield ChatLog(id="chat")
                yield Label(_STATUS[Phase.STARTING], id="status", markup=False)
                yield AnswerBox(id="answer", placeholder="Type the answer. Enter sends.")
            with Vertical(id="side-pane"):
                with TabbedContent(id="side-tabs", initial="map"):
                    with TabPane("Map", id="map"):
                        yield MapPane(id="map-pane")
                    with TabPane("Findings", id="findings"), VerticalScroll():
                        yield FindingsView(id="findings-view")
                    with TabPane("Coverage", id="coverage"), VerticalScroll():
                        yield CoverageBoardView(id="coverage-view")
                yield CoverageBoardView(id="coverage-strip")
        yield Footer()

    def tell(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
             timeout: float | None = None) -> None:
        """A notification; never markup, since it may quote an error or the stakeholder's words."""
        self.notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    @property
    def who(self) -> str:
        return self.engine.state.meta.stakeholder

    async def on_mount(self) -> None:
        meta = self.engine.state.meta
        self.title = f"Interview: {meta.stakeholder}" + (f" ({meta.role})" if meta.role else "")
        self.sub_title = self.mode
        if self.mode.startswith("offline"):
            await self.query_one(ChatLog).add(NoteMessage(
                "Offline: questions come from the question bank, answers are mapped by rules. "
                "To use a model, configure one (see `vsm doctor`)."))
        await self._show_history()
        for note in self.engine.notes:
            self.tell(note, title="Session file", severity="warning", timeout=10)
        self._restore_draft()
        self._load_merges()
        self._refresh_panes()
        self.query_one(AnswerBox).focus()
        if self.embedder_loader is not None:
            self.run_worker(self._load_embedder, thread=True, group="embedder", exit_on_error=False)
        self._continue()

    async def _show_history(self) -> None:
        """A resumed session's conversation, with what each answer added to the map."""
        patches = {patch.answer_index: patch for patch in self.engine.state.patches}
        widgets: list[QuestionMessage | AnswerMessage | NoteMessage] = []
        answers = 0
        for event in self.engine.state.history:
            if isinstance(event, QuestionEvent):
                question = QuestionMessage(event.probe, event.text, who=self.engine.state.meta.interviewer)
                question.border_subtitle = Content(event.worded_by)
                widgets.append(question)
            else:
                widgets.append(AnswerMessage(event.text, who=self.who))
                if answers in patches:
                    widgets.append(NoteMessage(patch_note(patches[answers])))
                answers += 1
        if widgets:
            await self.query_one(ChatLog).mount_all(widgets)

    def on_resize(self, event: Resize) -> None:
        try:
            tabs = self.query_one(TabbedContent)
        except NoMatches:  # not composed yet
            return
        if event.size.width >= WIDE and event.size.height >= TALL:
            tabs.hide_tab("coverage")  # the coverage board stays in view under the map instead
        else:
            tabs.show_tab("coverage")

    # -- the turn ---------------------------------------------------------------------------------------

    def _set_phase(self, phase: Phase) -> None:
        self.phase = phase
        text = _STATUS[phase].format(who=self.who, new_line=_key("new_line"))
        self.query_one("#status", Label).update(text)
        self.query_one("#status", Label).set_class(phase in (Phase.QUESTION_FAILED, Phase.EXTRACTION_FAILED),
                                                   "-problem")
        self.refresh_bindings()

    def _continue(self) -> None:
        """Pick the session up where it is: a pending question, an unmapped answer, or the next question."""
        state = self.engine.state
        pending = state.pending_question
        if pending is not None:
            self.probe = pending.probe
            self._set_phase(Phase.ASKED)
        elif state.history and isinstance(state.history[-1], AnswerEvent) and not self._last_answer_mapped():
            self._start_extraction()
        else:
            self._ask_next()

    def _last_answer_mapped(self) -> bool:
        last = len(self.engine.state.answers) - 1
        return any(p.answer_index == last for p in self.engine.state.patches)

    def _ask_next(self) -> None:
        try:
            probe = self.engine.plan_next()
        except Exception as err:  # a planner bug must not take the session down
            self.probe = None
            self.tell(f"Planning the next question failed ({describe_error(err)}). "
                        f"{_key('retry')} tries again.", title="Planner", severity="error", timeout=15)
            self._set_phase(Phase.QUESTION_FAILED)
            return
        self._write_question(probe)

    def _write_question(self, probe: Probe) -> None:
        self.probe = probe
        self._turn += 1
        self._question_widget = None
        self._set_phase(Phase.WRITING)
        self._question_worker = self.run_worker(self._stream_question(self._turn, probe), group="question",
                                                exclusive=True, exit_on_error=False, name="question")

    async def _stream_question(self, turn: int, probe: Probe) -> None:
        """Worker: stream the writer's words as messages; never touches a widget."""
        pieces: list[str] = []
        try:
            async for piece in self.engine.writer.stream(probe, self.engine.state):
                pieces.append(piece)
                self.post_message(QuestionPiece(turn, piece))
        except Exception as err:  # timeout, rate limit, bad output: the app offers the bank or a retry
            self.post_message(QuestionFailed(turn, probe, describe_error(err)))
            return
        self.post_message(QuestionWritten(turn, probe, "".join(pieces)))

    async def on_question_piece(self, message: QuestionPiece) -> None:
        if message.turn != self._turn or self.phase is not Phase.WRITING:
            return  # left over from a cancelled question
        if self._question_widget is None:
            self._question_widget = QuestionMessage(self.probe, who=self.engine.state.meta.interviewer)
            await self.query_one(ChatLog).add(self._question_widget)
        await self._question_widget.append(message.text)

    async def on_question_written(self, message: QuestionWritten) -> None:
        if message.turn != self._turn or self.phase is not Phase.WRITING:
            return
        try:
            event, issues = self.engine.ask(message.probe, message.text)
        except Exception as err:
            await self._discard_partial_question()
            self.tell(f"The question could not be saved ({describe_error(err)}). {_key('retry')} tries again.",
                        title="Session file", severity="error", timeout=15)
            self._set_phase(Phase.QUESTION_FAILED)
            return
        widget = self._question_widget
        if widget is None:
            widget = QuestionMessage(message.probe, who=self.engine.state.meta.interviewer)
            await self.query_one(ChatLog).add(widget)
        await widget.finish(event.text, worded_by=event.worded_by)
        self._question_widget = None
        await self._note_skips(event)
        if issues:
            kinds = ", ".join(sorted({issue.kind.value.replace("_", "-") for issue in issues}))
            self.tell(f"The model's wording was {kinds}; the bank's question was asked instead.",
                        title="Question", severity="warning")
        self._set_phase(Phase.ASKED)

    async def _note_skips(self, event: QuestionEvent) -> None:
        """Questions passed over because an earlier answer already answered them: said, with that answer's words."""
        for skipped in event.skipped:
            await self.query_one(ChatLog).add(NoteMessage(
                f"Not asked: “{skipped.question}” — answered already: “{skipped.answered_by}”"))
        if event.probe.kind is ProbeKind.CLOSE:
            await self.query_one(ChatLog).add(NoteMessage(self._summary_note()))

    def _summary_note(self) -> str:
        summary = self.engine.summary()
        lines = [f"Session so far: {summary.questions} questions; corrections applied "
                 f"{len(summary.corrections_applied)}, pending {len(summary.corrections_pending)}; "
                 f"contradictions probed {len(summary.contradictions_probed)}."]
        if summary.next_time:
            lines.append("Uncovered, to ask next time:")
            for step, questions in summary.next_time.items():
                lines.append(f"· {step.title}: {questions[0]}")
        else:
            lines.append("Every diagnostic step is covered.")
        return "\n".join(lines)

    def deliver_screenshot(self, filename: str | None = None, path: str | None = None,
                           time_format: str | None = None) -> str | None:
        """Screenshots go to the session's folder (`screenshots/` beside the log) unless a path is given;
        the folder is created, so the palette's screenshot never fails for a missing ~/Downloads."""
        folder = Path(path).expanduser() if path else self.engine.log.path.parent / "screenshots"
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            self.tell(f"The screenshot folder {folder} cannot be created ({describe_error(err)}).",
                      title="Screenshot", severity="error", timeout=10)
            return None
        key = super().deliver_screenshot(filename, str(folder), time_format)
        self.tell(f"Screenshot saved in {folder}.", title="Screenshot")
        return key

    async def on_question_failed(self, message: QuestionFailed) -> None:
        if message.turn != self._turn or self.phase is not Phase.WRITING:
            return
        await self._discard_partial_question()
        self.tell(f"{message.error}\n{_key('retry')} retries · {_key('use_bank_question')} asks the bank's "
                    "question.", title="Writing the question failed", severity="error", timeout=15)
        await self.query_one(ChatLog).add(NoteMessage(
            f"The question could not be written ({message.error}). {_key('retry')} retries; "
            f"{_key('use_bank_question')} asks: “{message.probe.fallback_question}”", kind="problem"))
        self._set_phase(Phase.QUESTION_FAILED)

    async def _discard_partial_question(self) -> None:
        if self._question_widget is not None:
            widget, self._question_widget = self._question_widget, None
            await widget.cancel()

    async def action_cancel_question(self) -> None:
        if self.phase is not Phase.WRITING:
            return
        self._turn += 1  # pieces still queued belong to a question that was never asked
        if self._question_worker is not None:
            self._question_worker.cancel()
        await self._discard_partial_question()
        question = self.probe.fallback_question if self.probe else ""
        await self.query_one(ChatLog).add(NoteMessage(
            f"Cancelled. {_key('use_bank_question')} asks the bank's question: “{question}”; "
            f"{_key('retry')} writes it again.", kind="problem"))
        self._set_phase(Phase.QUESTION_FAILED)

    async def action_use_bank_question(self) -> None:
        if self.phase is not Phase.QUESTION_FAILED or self.probe is None:
            return
        try:
            event, _ = self.engine.ask(self.probe, self.probe.fallback_question)
        except Exception as err:
            self.tell(f"The question could not be saved ({describe_error(err)}).", title="Session file",
                        severity="error", timeout=15)
            return
        question = QuestionMessage(self.probe, event.text, who=self.engine.state.meta.interviewer)
        question.border_subtitle = Content(event.worded_by)
        await self.query_one(ChatLog).add(question)
        self._set_phase(Phase.ASKED)

    def action_retry(self) -> None:
        if self.phase is Phase.QUESTION_FAILED:
            if self.probe is None:
                self._ask_next()
            else:
                self._write_question(self.probe)
        elif self.phase is Phase.EXTRACTION_FAILED:
            self._start_extraction()

    def action_skip_extraction(self) -> None:
        if self.phase is Phase.EXTRACTION_FAILED:
            self._ask_next()

    def _restore_draft(self) -> None:
        answers = self.engine.state.answers
        draft = load_draft(self.engine.log.path, answers[-1].text if answers else None)
        if draft:
            self.query_one(AnswerBox).insert(draft)
            self.tell("What you had typed before the app stopped is back in the answer box.", title="Draft")

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        """Every change to the answer being typed is kept on disk: a killed app loses none of it."""
        if not isinstance(event.text_area, AnswerBox):
            return
        try:
            save_draft(self.engine.log.path, event.text_area.text)
        except OSError as err:
            if not self._draft_failed:  # once: the answer itself is still saved when it is sent
                self._draft_failed = True
                self.tell(f"The answer being typed cannot be kept on disk ({describe_error(err)}); it is saved "
                          "when sent.", title="Draft", severity="warning", timeout=10)

    async def on_answer_box_submitted(self, message: AnswerBox.Submitted) -> None:
        text = message.text
        if not text.strip():
            return
        if self.phase is not Phase.ASKED:
            self.tell(_WAIT[self.phase], severity="warning")
            return
        try:
            event = self.engine.answer(text)  # on disk before anything else happens
        except Exception as err:
            self.tell(f"The answer was NOT recorded ({describe_error(err)}). It is still in the box: press "
                        "Enter to try again.", title="Session file", severity="error", timeout=20)
            return
        with contextlib.suppress(OSError):
            save_draft(self.engine.log.path, "")  # the answer is in the session now: no draft to restore
        message.answer_box.clear()
        self.query_one(ChatLog).add(AnswerMessage(event.text, who=self.who))
        self._start_extraction()

    def _start_extraction(self) -> None:
        self._set_phase(Phase.EXTRACTING)
        self._extraction_idle.clear()  # before the thread starts: a quit right now still waits for it
        self.run_worker(self._extract_in_thread, thread=True, group="extract", exclusive=True,
                        exit_on_error=False, name="extract")

    def _extract_in_thread(self) -> None:
        """Thread worker: CPU (or model) work on the engine; the result goes back as a message."""
        try:
            patch = self.engine.extract_last_answer()
        except Exception as err:
            self.post_message(ExtractionFailed(describe_error(err)))
            return
        finally:
            self._extraction_idle.set()
        self.post_message(AnswerExtracted(patch))

    def wait_for_extraction(self, timeout: float) -> bool:
        """After the app has quit: let an extraction still running log its patch (True when none is left)."""
        return self._extraction_idle.wait(timeout)

    async def on_answer_extracted(self, message: AnswerExtracted) -> None:
        self._apply_waiting_reviews()
        self._refresh_panes()
        self.query_one(ChatLog).add(NoteMessage(patch_note(message.patch)))  # not awaited: the question comes next
        self._ask_next()

    async def on_extraction_failed(self, message: ExtractionFailed) -> None:
        self._apply_waiting_reviews()
        self.tell(f"{message.error}\nThe answer is saved. {_key('retry')} retries · {_key('skip_extraction')} "
                    "goes on without it.", title="Extracting the answer failed", severity="error", timeout=15)
        await self.query_one(ChatLog).add(NoteMessage(
            f"The answer is saved but not in the map ({message.error}).", kind="problem"))
        self._set_phase(Phase.EXTRACTION_FAILED)

    # -- the embedder (optional, loaded after the first screen) --------------------------------------------

    def _load_embedder(self) -> None:
        assert self.embedder_loader is not None
        try:
            embedder = self.embedder_loader()
            value_map, report = self.engine.check_with(embedder)
        except Exception as err:
            self.post_message(EmbedderFailed(describe_error(err)))
            return
        self.post_message(EmbedderReady(embedder, value_map, report))

    def on_embedder_ready(self, message: EmbedderReady) -> None:
        self.engine.embedder = message.embedder
        if self.engine.state.value_map is message.checked_map:  # else the next patch re-checks with it
            self.engine.report = message.report
            self._refresh_panes()

    def on_embedder_failed(self, message: EmbedderFailed) -> None:
        self.tell(f"Duplications are compared by the map's own links only ({message.error}).",
                    title="Embedder unavailable", severity="warning", timeout=10)

    # -- the panes --------------------------------------------------------------------------------------

    def _refresh_panes(self) -> None:
        engine = self.engine
        value_map = engine.state.value_map
        self.query_one(MapPane).show(value_map, self._merges, engine.pending_corrections)
        self.query_one(FindingsView).show(engine.report)
        board = engine.coverage()
        elapsed, budget = engine.elapsed_minutes, engine.state.meta.minutes
        self.query_one("#coverage-view", CoverageBoardView).show(board, elapsed_minutes=elapsed,
                                                                  budget_minutes=budget)
        self.query_one("#coverage-strip", CoverageBoardView).show(board, elapsed_minutes=elapsed,
                                                                   budget_minutes=budget, details=False)
        tabs = self.query_one(TabbedContent)
        merges = f", {len(self._merges)} to merge" if self._merges else ""
        if engine.pending_corrections:
            merges += f", {len(engine.pending_corrections)} to correct"
        tabs.get_tab("map").label = f"Map ({value_map.element_count()}{merges})"
        tabs.get_tab("findings").label = f"Findings ({len(engine.report.findings)})"

    def action_toggle_side(self) -> None:
        screen = self.screen
        if not screen.has_class("-wide"):
            screen.toggle_class("-side")
            showing_side = screen.has_class("-side")
        else:
            showing_side = not isinstance(self.focused, MapList)
        if showing_side:
            self.query_one(MapList).focus()
        else:
            self.query_one(AnswerBox).focus()

    def action_show_tab(self, tab: str) -> None:
        tabs = self.query_one(TabbedContent)
        if tab == "coverage" and self.screen.has_class("-wide") and self.screen.has_class("-tall"):
            return  # already in view under the map
        tabs.active = tab
        if not self.screen.has_class("-wide"):
            self.screen.add_class("-side")
        if tab == "map":
            self.query_one(MapList).focus()

    # -- reviews ----------------------------------------------------------------------------------------

    def action_accept_element(self) -> None:
        self._review_selected(Review.CONFIRMED)

    def action_reject_element(self) -> None:
        self._review_selected(Review.REJECTED)

    def action_edit_element(self) -> None:
        if self.query_one(MapPane).selected_correction is not None:
            self.tell(f"A correction is applied or not: {_key('accept_element')} applies, "
                      f"{_key('reject_element')} keeps the map as it is.", severity="warning")
            return
        if self.query_one(MapPane).selected_merge is not None:
            self.tell(f"A merge is decided, not edited: {_key('accept_element')} merges, "
                      f"{_key('reject_element')} keeps apart.", severity="warning")
            return
        element_id = self._selected_id()
        if element_id is None:
            return
        found = find_element(self.engine.state.value_map, element_id)
        if found is None:
            return
        collection, element = found
        self.push_screen(EditElementScreen(element, COLLECTIONS[collection].kind_name),
                         callback=partial(self._edited, element_id))

    def _edited(self, element_id: str, edit: ElementEdit | None) -> None:
        if edit is None:
            return
        found = find_element(self.engine.state.value_map, element_id)
        if found is None:
            self.tell("That element is no longer in the map.", severity="warning")
            return
        collection, element = found
        edited = element.model_copy(update={"name": edit.name, "detail": edit.detail})
        change = ElementChange.model_validate({"collection": collection, "element_id": element_id,
                                               "element": edited})
        self._review(element_id, Review.EDITED, change)

    def _selected_id(self) -> str | None:
        element_id = self.query_one(MapPane).selected_id
        if element_id is None:
            self.tell(f"Select an element in the map first ({_key('toggle_side')}).", severity="warning")
        return element_id

    def _review_selected(self, review: Review) -> None:
        correction = self.query_one(MapPane).selected_correction
        if correction is not None:
            self._decide_correction(correction.id, accepted=review is Review.CONFIRMED)
            return
        merge = self.query_one(MapPane).selected_merge
        if merge is not None:
            self._decide_merge(merge, MergeDecision.MERGE if review is Review.CONFIRMED else MergeDecision.KEEP_APART)
            return
        element_id = self._selected_id()
        if element_id is not None:
            self._review(element_id, review)

    def _review(self, element_id: str, review: Review, edited: ElementChange | None = None) -> None:
        if self.phase is Phase.EXTRACTING:  # the engine is busy on a thread: apply once it is done
            self._reviews_waiting.append(partial(self._review_now, element_id, review, edited))
            self.tell("The map is being updated; your review will be applied right after.")
            return
        self._review_now(element_id, review, edited)

    def _review_now(self, element_id: str, review: Review, edited: ElementChange | None) -> None:
        before = self.engine.state.value_map
        found = find_element(before, element_id)
        if found is None:
            return
        name = found[1].name
        try:
            self.engine.review(element_id, review, edited=edited, person=self.engine.state.meta.interviewer)
        except Exception as err:
            self.tell(f"The review was not recorded ({describe_error(err)}).", title="Session file",
                        severity="error", timeout=15)
            return
        self._refresh_panes()
        if review is Review.REJECTED:
            gone = before.element_count() - self.engine.state.value_map.element_count() - 1
            also = f" and {gone} element{'' if gone == 1 else 's'} that depended on it" if gone > 0 else ""
            self.tell(f"Rejected “{name}”{also}.", title="Map")
        else:
            self.tell(f"{review.value.capitalize()} “{name}”.", title="Map")

    def _decide_correction(self, correction_id: str, *, accepted: bool) -> None:
        if self.phase is Phase.EXTRACTING:  # the engine is busy on a thread: decide once it is done
            self._reviews_waiting.append(partial(self._decide_correction_now, correction_id, accepted))
            self.tell("The map is being updated; your decision will be applied right after.")
            return
        self._decide_correction_now(correction_id, accepted)

    def _decide_correction_now(self, correction_id: str, accepted: bool) -> None:
        correction = self.engine.state.correction(correction_id)
        if correction is None or correction_id in self.engine.state.decisions:
            return
        try:
            self.engine.decide_correction(correction_id, accepted=accepted, person=self.engine.state.meta.interviewer)
        except Exception as err:
            self.tell(f"The decision was not recorded ({describe_error(err)}).", title="Session file",
                      severity="error", timeout=15)
            return
        self._refresh_panes()
        verb = "Applied" if accepted else "Kept the map as it was, not applying"
        self.tell(f"{verb}: {correction.description}.", title="Correction")

    def _apply_waiting_reviews(self) -> None:
        waiting, self._reviews_waiting = self._reviews_waiting, []
        for review in waiting:
            review()

    # -- the engagement's merges (inside a workspace) ------------------------------------------------------

    def _load_merges(self) -> None:
        try:
            self._merges = self.engine.pending_merges()
        except Exception as err:  # a damaged decisions file must not stop the interview
            self._merges = []
            self.tell(f"The engagement's open merges could not be read ({describe_error(err)}).",
                      title="Workspace", severity="warning", timeout=10)

    def _decide_merge(self, proposal: MergeProposal, decision: MergeDecision) -> None:
        """Keep the decision now (a small file); rebuild the engagement map on a thread."""
        try:
            self.engine.decide_merge(proposal, decision)
        except Exception as err:
            self.tell(f"The decision was not recorded ({describe_error(err)}).", title="Workspace",
                      severity="error", timeout=15)
            return
        self._merges = [p for p in self._merges if p.key != proposal.key]
        self._refresh_panes()
        verb = "Merging" if decision is MergeDecision.MERGE else "Keeping apart"
        self.tell(f"{verb} “{proposal.first_name}” and “{proposal.second_name}”; the engagement map is being "
                  "rebuilt.", title="Engagement")
        self._merge_decisions += 1
        self.run_worker(partial(self._rebuild_in_thread, self._merge_decisions), thread=True, group="merge",
                        exit_on_error=False, name="merge")

    def _rebuild_in_thread(self, decision: int) -> None:
        with self._rebuilding:
            if decision < self._merge_decisions:
                return  # a later decision's rebuild will include this one
            try:
                value_map = self.engine.rebuild_engagement_map()
            except Exception as err:
                self.post_message(EngagementMapFailed(describe_error(err)))
                return
        self.post_message(EngagementMapRebuilt(decision, value_map))

    def on_engagement_map_rebuilt(self, message: EngagementMapRebuilt) -> None:
        if message.decision <= self._merge_map_shown:
            return
        if self.phase is Phase.EXTRACTING:  # the engine is busy on a thread: use the map once it is done
            self._reviews_waiting.append(partial(self.on_engagement_map_rebuilt, message))
            return
        self._merge_map_shown = message.decision
        self.engine.use_engagement_map(message.value_map)
        self._load_merges()
        self._refresh_panes()
        self.tell(f"Engagement map rebuilt: {message.value_map.element_count()} elements; the findings now "
                  "check against it.", title="Engagement")

    def on_engagement_map_failed(self, message: EngagementMapFailed) -> None:
        self.tell(f"The decision is kept, but the engagement map was not rebuilt ({message.error}); "
                  "`vsm synthesize` rebuilds it.", title="Engagement", severity="error", timeout=15)

    # -- keys, palette, help, save ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_question":
            return self.phase is Phase.WRITING
        if action == "retry":
            return self.phase in (Phase.QUESTION_FAILED, Phase.EXTRACTION_FAILED)
        if action == "use_bank_question":
            return self.phase is Phase.QUESTION_FAILED and self.probe is not None
        if action == "skip_extraction":
            return self.phase is Phase.EXTRACTION_FAILED
        return True

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        for action in ACTIONS:
            if action.in_palette and self.check_action(action.action, ()):
                yield SystemCommand(action.title, f"{action.help} ({action.key_label})",
                                    partial(self.run_action, action.action))
        yield from (c for c in super().get_system_commands(screen) if c.title not in ("Quit", "Keys"))

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_save(self) -> None:
        path: Path = self.engine.log.path
        try:
            events, notes = read_session(path)
        except Exception as err:
            self.tell(f"{describe_error(err)}", title="Session file", severity="error", timeout=15)
            return
        problem = f" ({len(notes)} unreadable lines)" if notes else ""
        try:
            map_path, _ = self.engine.save_outputs()
        except Exception as err:
            self.tell(f"The session is on disk, but its map file was not written ({describe_error(err)}).",
                      title="Map file", severity="warning", timeout=15)
            return
        self.tell(f"Everything is on disk: {len(events)} events in {path}{problem}. Each event is written "
                  f"and flushed as it happens. The map as of now: {map_path.name}.", title="Saved")
