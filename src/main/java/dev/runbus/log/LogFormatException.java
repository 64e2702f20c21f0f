package dev.runbus.log;

import java.io.IOException;

/** The file is not a {@code .wandb} log this reader understands: wrong ident, magic or version. */
public class LogFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  public LogFormatException(String message) {
    super(message);
  }
}
