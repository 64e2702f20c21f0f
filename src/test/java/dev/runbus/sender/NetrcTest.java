package dev.runbus.sender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NetrcTest {

  @Test
  void entriesOnOneLineOrManyAndTheFirstOfAHostWins() {
    Netrc netrc =
        Netrc.parse(
            "machine a login u1 password p1 machine b\nlogin u2\n\tpassword p2 account x\n"
                + "machine a login again password p3\n");
    assertEquals(new Netrc.Entry("u1", "p1"), netrc.entryFor("a").orElseThrow());
    assertEquals(new Netrc.Entry("u2", "p2"), netrc.entryFor("b").orElseThrow());
    assertTrue(netrc.entryFor("c").isEmpty());
  }

  @Test
  void commentsAndMacroBodiesAreNotTokens() {
    Netrc netrc =
        Netrc.parse(
            "# machine fake login x password y\n"
                + "macdef upload\nmachine inmacro password no\n\n"
                + "machine real password yes\n");
    assertTrue(netrc.entryFor("fake").isEmpty());
    assertTrue(netrc.entryFor("inmacro").isEmpty());
    assertEquals("yes", netrc.entryFor("real").orElseThrow().password());
  }

  @Test
  void theDefaultEntryAnswersForAnyOtherHost() {
    Netrc netrc = Netrc.parse("machine a password pa\ndefault password pd\n");
    assertEquals("pa", netrc.entryFor("a").orElseThrow().password());
    assertEquals("pd", netrc.entryFor("zzz").orElseThrow().password());
  }
}
