"""What one console connection has sent its page: which entries, and how new its panels are."""


class SentSeqs:
    """Which entries a connection has sent to its page (all up to ``floor``, and those in
    ``above``), and how new the panels it sent are. Pushes can arrive out of order (two
    processes commit entries of one customer a moment apart and publish in the other order), so
    "the highest seq sent" is not enough: the late push of N, after N+1, must still go out, and
    its panels must not replace the newer ones N+1 brought."""

    def __init__(self):
        self.floor = 0
        self.above: set[int] = set()
        # The seq the page's panels are current as of: all of them, and "active on ..." (which
        # every entry's push carries; pushes of orders, invoices, ... carry every panel).
        self.panels_seq = 0
        self.activity_seq = 0

    def first_time(self, seq: int) -> bool:
        """True, and noted, if ``seq`` has not been sent on this connection yet."""
        if seq <= self.floor or seq in self.above:
            return False
        self.above.add(seq)
        self._compact()
        return True

    def all_upto(self, seq: int) -> None:
        """Everything up to ``seq`` is on the page (a replay)."""
        self.floor = max(self.floor, seq)
        self._compact()

    def newer_panels(self, seq: int, all_panels: bool) -> bool:
        """True, and noted, if a push's panels (rendered when ``seq`` committed) are newer than
        those on the page."""
        if seq <= (self.panels_seq if all_panels else self.activity_seq):
            return False
        self.activity_seq = max(self.activity_seq, seq)
        if all_panels:
            self.panels_seq = seq
        return True

    def panels_upto(self, seq: int) -> None:
        """Every panel was sent as it is after ``seq``."""
        self.panels_seq = max(self.panels_seq, seq)
        self.activity_seq = max(self.activity_seq, seq)

    def _compact(self) -> None:
        while self.floor + 1 in self.above:
            self.floor += 1
        if self.above and min(self.above) <= self.floor:
            self.above = {s for s in self.above if s > self.floor}
