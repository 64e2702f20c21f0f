package dev.runbus.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HistoryPagerTest {

  @Test
  void pagesGrowWhileSmallAndShrinkWhenLarge() {
    HistoryPager pager = new HistoryPager(0, Long.MAX_VALUE, 1_000_000);
    assertEquals(HistoryPager.FIRST_PAGE, pager.pageLimit());
    long asked = pager.pageLimit();
    pager.pageRead(asked, (int) asked, asked - 1, 64 * 30);
    assertEquals(2 * HistoryPager.FIRST_PAGE, pager.pageLimit(), "small lines: the page doubles");
    for (int i = 0; i < 20; i++) {
      asked = pager.pageLimit();
      pager.pageRead(asked, (int) asked, pager.nextLine() + asked - 1, asked * 30);
    }
    assertTrue(pager.pageLimit() * 30 <= 2L * HistoryPager.TARGET_BYTES, "bounded in bytes");
    assertTrue(pager.pageLimit() <= HistoryPager.MAX_PAGE);

    long wide = pager.pageLimit();
    pager.pageRead(wide, (int) wide, pager.nextLine() + wide - 1, wide * 100_000);
    assertEquals(wide / 2, pager.pageLimit(), "wide lines: the page halves");
    for (int i = 0; i < 30; i++) {
      asked = pager.pageLimit();
      pager.pageRead(asked, (int) asked, pager.nextLine() + asked - 1, asked * 1_000_000);
    }
    assertEquals(HistoryPager.MIN_PAGE, pager.pageLimit());
  }

  @Test
  void itEndsAtTheLimitOrAtTheLineCountTheReadBeganWith() {
    HistoryPager limited = new HistoryPager(10, 100, 1_000);
    assertEquals(64, limited.pageLimit());
    limited.pageRead(64, 64, 73, 100);
    assertEquals(74, limited.nextLine());
    assertEquals(36, limited.pageLimit(), "no more than the limit left");
    limited.pageRead(36, 36, 109, 100);
    assertTrue(limited.done());

    HistoryPager counted = new HistoryPager(990, Long.MAX_VALUE, 1_000);
    assertEquals(10, counted.pageLimit());
    counted.pageRead(10, 10, 999, 100);
    assertTrue(counted.done());
    assertTrue(new HistoryPager(5, 10, 5).done(), "from at the end: nothing to read");
  }

  @Test
  void aPageWithNoLinesMovesPastWhatWasAskedFor() {
    HistoryPager pager = new HistoryPager(0, Long.MAX_VALUE, 1_000);
    pager.pageRead(64, 0, -1, 0);
    assertEquals(64, pager.nextLine());
    assertFalse(pager.done());
  }
}
