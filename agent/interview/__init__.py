"""The interview engine: planning, question wording, live extraction and the session log; never imports Textual."""
