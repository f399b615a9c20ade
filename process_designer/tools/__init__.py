"""What the agents call: template search, SPy check and test run, process diff, gap analysis, graph checks.

:mod:`~process_designer.tools.functions` holds the functions (the offline engine calls them directly);
:mod:`~process_designer.tools.agent_tools` offers them to the LLM agents as LangChain tools.
"""

from process_designer.tools.functions import (
    SpyCheck,
    TemplateSearch,
    failures,
    gap_analysis,
    graph_check,
    process_diff,
    spy_check,
    spy_test,
    template_search,
)

__all__ = ["SpyCheck", "TemplateSearch", "failures", "gap_analysis", "graph_check", "process_diff", "spy_check",
           "spy_test", "template_search"]
