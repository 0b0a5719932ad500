/// What is wrong with an env file. Every case is an error: unlike a Procfile line, a bad env
/// line would leave a variable silently unset or wrong, which is worse than stopping.
///
/// Text from the file is kept as data; `message` quotes it (escaped and shortened).
public enum DotEnvProblem: Sendable, Equatable {
  /// A line that is not `KEY=value`, a comment or blank.
  case malformedLine(String)
  /// `KEY` alone (or followed only by a comment), with no `=`.
  case missingEquals(key: String)
  /// `=value` with nothing before the `=`.
  case missingKey
  /// A key outside `[A-Za-z_][A-Za-z0-9_.]*`.
  case invalidKey(String)
  /// A quoted value with no closing quote before the end of the file.
  case unterminatedQuote(Character)
  /// Something other than whitespace or a comment after a quoted value's closing quote.
  case textAfterQuote(String)
  /// `${` not followed by a name and `}`, such as `${VAR:-default}`.
  case unsupportedExpansion(String)
  /// `${NAME` with no closing `}` before the value ends.
  case unterminatedExpansion
  /// A value that is not valid UTF-8.
  case valueNotUTF8(key: String)
  /// A value holding a NUL byte, which an environment variable cannot carry.
  case valueHasNUL(key: String)

  public var message: String {
    switch self {
    case .malformedLine(let line):
      "expected KEY=value, a '#' comment or a blank line, found \(ConfigBytes.quoted(line))"
    case .missingEquals(let key):
      // Keys are ASCII name characters, safe to print bare; a very long one reads as KEY.
      "expected '=' after \(ConfigBytes.quoted(key)); write \(Self.example(key))=value, "
        + "or \(Self.example(key))= for an empty value"
    case .missingKey:
      "missing variable name before '='; write KEY=value"
    case .invalidKey(let key):
      "invalid variable name \(ConfigBytes.quoted(key)): use letters, digits, '_' and '.', "
        + "not starting with a digit"
    case .unterminatedQuote(let quote):
      "unterminated \(quote == "'" ? "single" : "double")-quoted value: add the closing \(quote) "
        + "(a quoted value may span lines, so the rest of the file was read as its value)"
    case .textAfterQuote(let text):
      "unexpected \(ConfigBytes.quoted(text)) after the closing quote; put the whole value "
        + "inside the quotes, or start a comment with '#'"
    case .unsupportedExpansion(let text):
      "unsupported expansion \(ConfigBytes.quoted(text)): orch expands only $NAME and ${NAME}; "
        + "for a literal '$', write \\$ or use single quotes"
    case .unterminatedExpansion:
      "'${' without a closing '}'; write ${NAME}, or \\$ for a literal '$'"
    case .valueNotUTF8(let key):
      "the value of \(ConfigBytes.quoted(key)) is not valid UTF-8; save the file as UTF-8"
    case .valueHasNUL(let key):
      "the value of \(ConfigBytes.quoted(key)) contains a NUL byte, "
        + "which an environment variable cannot hold; remove it"
    }
  }

  /// The key to show in "write KEY=value" advice: the user's own when it is short.
  private static func example(_ key: String) -> String {
    key.utf8.count <= 40 ? key : "KEY"
  }
}
