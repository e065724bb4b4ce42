// NexmarkReference prints Nexmark events computed with the JDK's
// java.util.Random, Math.pow, Math.round and String.trim, for
// TestJavaReference. Regenerate the golden file with
//
//	java NexmarkReference.java > reference.golden
//
// It follows the published generator rules with the default configuration
// (10,000 events/s, base time 2015-07-15T00:00:00Z, hot ratios 2/4/4, 100
// auctions in flight, 1,000 active people, sizes 200/500/100).
import java.util.Random;

public class NexmarkReference {
  static final long BASE = 1436918400000L;
  static final double DELAY_US = 1_000_000.0 / 10_000;

  static long ts(long n) { return BASE + (long) (n * DELAY_US) / 1000L; }

  static long lastPerson(long n) {
    long epoch = n / 50, off = n % 50;
    if (off >= 1) off = 0;
    return epoch + off;
  }

  static long lastAuction(long n) {
    long epoch = n / 50, off = n % 50;
    if (off < 1) { epoch--; off = 2; }
    else if (off >= 4) off = 2;
    else off -= 1;
    return epoch * 3 + off;
  }

  static long nextLong(Random r, long n) {
    if (n < Integer.MAX_VALUE) return r.nextInt((int) n);
    return Math.abs(r.nextLong() % n);
  }

  static long randomPerson(long n, Random r) {
    long people = lastPerson(n) + 1;
    long active = Math.min(people, 1000);
    return people - active + nextLong(r, active + 10);
  }

  static long randomAuction(long n, Random r) {
    long hi = lastAuction(n), lo = Math.max(hi - 100, 0);
    return lo + nextLong(r, hi - lo + 1 + 10);
  }

  static long price(Random r) { return Math.round(Math.pow(10.0, r.nextDouble() * 6.0) * 100.0); }

  static String str(Random r, int max) {
    int len = 3 + r.nextInt(max - 3);
    StringBuilder sb = new StringBuilder();
    while (len-- > 0) sb.append(r.nextInt(13) == 0 ? ' ' : (char) ('a' + r.nextInt(26)));
    return sb.toString().trim();
  }

  static String exact(Random r, int len) {
    StringBuilder sb = new StringBuilder();
    int rnd = 0, left = 0;
    while (len-- > 0) {
      if (left == 0) { rnd = r.nextInt(); left = 6; }
      sb.append((char) ('a' + rnd % 26));
      rnd /= 26;
      left--;
    }
    return sb.toString();
  }

  static String extra(Random r, int size, int avg) {
    if (size > avg) return "";
    avg -= size;
    int delta = (int) Math.round(avg * 0.2);
    return exact(r, avg - delta + (delta == 0 ? 0 : r.nextInt(2 * delta)));
  }

  static final String[] STATES = "AZ,CA,ID,OR,WA,WY".split(",");
  static final String[] CITIES = "Phoenix,Los Angeles,San Francisco,Boise,Portland,Bend,Redmond,Seattle,Kent,Cheyenne".split(",");
  static final String[] FIRST = "Peter,Paul,Luke,John,Saul,Vicky,Kate,Julie,Sarah,Deiter,Walter".split(",");
  static final String[] LAST = "Shultz,Abrams,Spencer,White,Bartels,Walton,Smith,Jones,Noris".split(",");

  static String event(long n) {
    Random r = new Random(n);
    long t = ts(n), rem = n % 50;
    if (rem < 1) {
      String name = FIRST[r.nextInt(FIRST.length)] + " " + LAST[r.nextInt(LAST.length)];
      String email = str(r, 7) + "@" + str(r, 5) + ".com";
      StringBuilder cc = new StringBuilder();
      for (int i = 0; i < 4; i++) {
        if (i > 0) cc.append(' ');
        cc.append(String.format("%04d", r.nextInt(10000)));
      }
      String city = CITIES[r.nextInt(CITIES.length)], state = STATES[r.nextInt(STATES.length)];
      int size = 8 + name.length() + email.length() + cc.length() + city.length() + state.length();
      return "person|" + (lastPerson(n) + 1000) + "|" + name + "|" + email + "|" + cc + "|" + city + "|" + state + "|" + t + "|" + extra(r, size, 200);
    }
    if (rem < 4) {
      long seller = r.nextInt(4) > 0 ? lastPerson(n) / 100 * 100 : randomPerson(n, r);
      long category = 10 + r.nextInt(5);
      long initial = price(r);
      long horizon = ts(n + 100 * 50 / 3) - t;
      long expires = t + 1 + nextLong(r, Math.max(horizon * 2, 1));
      String name = str(r, 20), desc = str(r, 100);
      long reserve = initial + price(r);
      int size = 8 + name.length() + desc.length() + 40;
      return "auction|" + (lastAuction(n) + 1000) + "|" + name + "|" + desc + "|" + initial + "|" + reserve + "|" + t + "|" + expires + "|" + (seller + 1000) + "|" + category + "|" + extra(r, size, 500);
    }
    long auction = r.nextInt(2) > 0 ? lastAuction(n) / 100 * 100 : randomAuction(n, r);
    long bidder = r.nextInt(4) > 0 ? lastPerson(n) / 100 * 100 + 1 : randomPerson(n, r);
    long p = price(r);
    return "bid|" + (auction + 1000) + "|" + (bidder + 1000) + "|" + p + "|" + t + "|" + extra(r, 32, 100);
  }

  public static void main(String[] args) {
    for (long start : new long[] {0, 1_000_000, 123_456_789_012L}) {
      for (long n = start; n < start + 150; n++) System.out.println(n + "|" + event(n));
    }
  }
}
