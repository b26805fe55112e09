"""The conversation: questions streamed as Markdown, answers as typed, notes, and the answer box."""

from agent.tui.chat.answer_box import AnswerBox
from agent.tui.chat.chat_log import AnswerMessage, ChatLog, NoteMessage, QuestionMessage

__all__ = ["AnswerBox", "AnswerMessage", "ChatLog", "NoteMessage", "QuestionMessage"]
