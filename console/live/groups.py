"""The names of the channel-layer groups; every subscriber and publisher takes them from here."""


def customer_group(customer_id: int) -> str:
    """Everyone looking at one customer's picture."""
    return f"customer.{customer_id}"


def agent_group(user_id: int) -> str:
    """One agent's own notices, on every page they have open (screen pops)."""
    return f"agent.{user_id}"


def is_agent_group(group: str) -> bool:
    return group.startswith("agent.")


def team_group(team: str) -> str:
    """A team's case queue."""
    return f"team.{team}"


def managers_group() -> str:
    """Every online manager: approvals waiting for a decision, the dashboard's changes."""
    return "managers"


def team_agents_group(team: str) -> str:
    """Every page a team's agents have open (their inbox counts in the navigation)."""
    return f"team-agents.{team}"
