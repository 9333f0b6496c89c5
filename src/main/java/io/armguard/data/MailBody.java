package io.armguard.data;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Extracts prose paragraphs from a raw RFC-822 mailing-list message. */
final class MailBody {
  private static final Pattern URL = Pattern.compile("(?i)(https?://|www\\.|ftp://|mailto:)\\S*");
  private static final Pattern EMAIL = Pattern.compile("\\S+@\\S+\\.\\S+");

  private MailBody() {}

  /** Paragraphs of the body that are at least 6 words and mostly letters. */
  static List<String> paragraphs(String message) {
    String text = message.replace("\r\n", "\n");
    int bodyStart = text.indexOf("\n\n");
    if (bodyStart < 0) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    StringBuilder paragraph = new StringBuilder();
    for (String line : text.substring(bodyStart + 2).split("\n", -1)) {
      String trimmed = line.strip();
      // signature, list footer or the start of a forwarded/quoted message ends the useful body
      if (line.equals("-- ")
          || trimmed.startsWith("_______")
          || trimmed.startsWith("-----Original Message")
          || trimmed.startsWith("--- ")) {
        break;
      }
      boolean quote =
          trimmed.startsWith(">")
              || trimmed.startsWith("|")
              || trimmed.matches("(?i)^on .*wrote:?$")
              || trimmed.endsWith("writes:");
      if (trimmed.isEmpty() || quote) {
        flush(paragraph, out);
        continue;
      }
      paragraph.append(trimmed).append(' ');
    }
    flush(paragraph, out);
    return out;
  }

  private static void flush(StringBuilder paragraph, List<String> out) {
    String p = EMAIL.matcher(URL.matcher(paragraph).replaceAll("")).replaceAll("");
    paragraph.setLength(0);
    p = p.replaceAll("\\s+", " ").strip();
    if (p.isEmpty() || p.split(" ").length < 6 || p.length() > 1200) {
      return;
    }
    long letters = p.chars().filter(c -> Character.isLetter(c) || c == ' ').count();
    if (letters >= 0.85 * p.length()) {
      out.add(p);
    }
  }
}
