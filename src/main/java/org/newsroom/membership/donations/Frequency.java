package org.newsroom.membership.donations;

/** How often a reader gives; recurring ones map to Stripe's price intervals. */
public enum Frequency {
  ONE_OFF,
  MONTHLY,
  ANNUAL;

  public boolean recurring() {
    return this != ONE_OFF;
  }

  /** Stripe's recurring interval for this frequency ("month" or "year"). */
  public String interval() {
    return switch (this) {
      case MONTHLY -> "month";
      case ANNUAL -> "year";
      case ONE_OFF -> throw new IllegalStateException("A one-off gift has no interval");
    };
  }

  public static Frequency ofInterval(String interval) {
    return "year".equals(interval) ? ANNUAL : MONTHLY;
  }
}
