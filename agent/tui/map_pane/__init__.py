"""The map pane: every element with its evidence and review, a cursor, an inspector and the edit dialog."""

from agent.tui.map_pane.edit_element import EditElementScreen, ElementEdit
from agent.tui.map_pane.map_list import MapList, find_element
from agent.tui.map_pane.map_pane import ElementInspector, MapPane

__all__ = ["EditElementScreen", "ElementEdit", "ElementInspector", "MapList", "MapPane", "find_element"]
