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
