package dev.runbus.server.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LoginPageTest {

  private static final String TEMPLATE = "<form>{{error}}<input name=\"next\" value=\"{{next}}\"></form>";

  @Test
  void theNextPathIsEscapedAndTheMessageShownOnlyAfterAWrongKey() {
    String page = LoginPage.render(TEMPLATE, false, "/a?x=\"><script>alert(1)</script>");
    assertTrue(page.contains("value=\"/a?x=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""), page);
    assertFalse(page.contains("<script>"), page);
    assertFalse(page.contains("login-error"), page);
    String wrong = LoginPage.render(TEMPLATE, true, null);
    assertTrue(wrong.contains("id=\"login-error\""), wrong);
    assertTrue(wrong.contains("That API key is not valid."), wrong);
    assertTrue(wrong.contains("value=\"/\""), wrong);
  }

  @Test
  void escapeCoversHtmlsSpecialCharacters() {
    assertEquals("&amp;&lt;&gt;&quot;&#39;x", LoginPage.escape("&<>\"'x"));
  }
}
