"""The designer graph: a LangGraph state machine routing chat turns among the four agents."""
