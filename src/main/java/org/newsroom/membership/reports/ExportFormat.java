package org.newsroom.membership.reports;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.newsroom.membership.platform.ProblemException;

/** The formats a report is offered in. */
public enum ExportFormat {
  CSV("text/csv; charset=UTF-8", "csv"),
  XLSX("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
  JSON("application/json; charset=UTF-8", "json");

  private final String mediaType;
  private final String extension;

  ExportFormat(String mediaType, String extension) {
    this.mediaType = mediaType;
    this.extension = extension;
  }

  public String mediaType() {
    return mediaType;
  }

  public String extension() {
    return extension;
  }

  /** The format named by the parameter (the default when absent); 400 for any other. */
  public static ExportFormat parse(String value, ExportFormat fallback, ExportFormat... allowed) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    for (ExportFormat format : allowed) {
      if (format.extension.equalsIgnoreCase(value.trim())) {
        return format;
      }
    }
    throw ProblemException.validation(
        "format",
        "must be one of "
            + Arrays.stream(allowed).map(f -> f.extension).collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
