"""What an agent sees of the console's layout: the search box, and the picture on a 768 px tablet."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The WCAG contrast ratio of two computed CSS colours ("rgb(r, g, b)").
CONTRAST = """([fg, bg]) => {
  const luminance = (css) => {
    const [r, g, b] = css.match(/[\\d.]+/g).slice(0, 3).map(Number).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [a, b] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


def test_what_an_agent_types_in_the_search_box_is_readable(page, login, live_server, customer):
    login(page, "phone")
    search = page.get_by_role("searchbox", name="Search customers")
    search.fill("Jeroen")
    expect(page.locator("#search-results a", has_text="Jeroen de Vries")).to_be_visible()

    colours = search.evaluate("el => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]")

    assert page.evaluate(CONTRAST, colours) >= 4.5, colours


@pytest.fixture
def busy_customer(customer):
    """A customer with every panel filled: orders, invoices (large amounts), a full timeline page."""
    from tests.factories import add_entries, add_invoice, add_order

    add_entries(customer, 30)
    for n in range(3):
        add_order(customer, number=f"WS-2026-1180{n}")
    add_invoice(customer, number="INV-2026-88123", amount="12345.67", days_overdue=47)
    add_invoice(customer, number="INV-2026-88124", amount="500.00", days_overdue=20)
    add_invoice(customer, number="INV-2026-88125", amount="34.95", due_in=9)
    return customer


def on_tablet(page, live_server, customer):
    page.set_viewport_size({"width": 768, "height": 1024})
    page.goto(f"{live_server.url}{customer.get_absolute_url()}")
    expect(page.locator("h1")).to_have_text(customer.name)


def test_on_a_tablet_the_timeline_is_on_the_first_screen_above_the_panels(page, login, live_server, busy_customer):
    login(page, "store")
    on_tablet(page, live_server, busy_customer)

    tops = page.evaluate(
        """() => Object.fromEntries(
             ['#timeline', '#timeline-entries > li', '#panel-orders', '#panel-invoices', '#panel-cases']
               .map((s) => [s, document.querySelector(s).getBoundingClientRect().top + scrollY]))"""
    )

    assert tops["#timeline-entries > li"] < 1024 - 40, tops  # the newest entry starts on the first screen
    assert all(tops["#timeline"] < top for name, top in tops.items() if name.startswith("#panel")), tops
    assert page.evaluate("document.documentElement.scrollWidth") == 768


def test_on_a_tablet_invoice_numbers_dates_and_amounts_stay_on_one_line(page, login, live_server, busy_customer):
    login(page, "phone")
    on_tablet(page, live_server, busy_customer)

    # Lines of text in each cell but the status: the distinct tops of its text's boxes.
    lines = page.evaluate(
        """() => [...document.querySelectorAll('#panel-invoices tbody tr')].flatMap((row) =>
             [...row.cells].slice(0, 3).map((cell) => {
               const range = document.createRange();
               range.selectNodeContents(cell);
               const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
               return [cell.textContent.trim(), tops.size];
             }))"""
    )

    assert len(lines) == 9
    assert [text for text, count in lines if count != 1] == [], lines
    assert page.evaluate("document.documentElement.scrollWidth") == 768
