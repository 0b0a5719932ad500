import CYaml

/// Builds a `YAMLDocument` from text with libyaml's event API.
///
/// The event API (not libyaml's recursive document loader) lets orch bound everything as it
/// goes: nesting depth, the size of the document once aliases are expanded, and the number of
/// documents. Nothing here recurses, so no input can overflow the stack.
public enum YAMLLoader {
  /// Largest config file orch reads.
  public static let maxBytes = 4 * 1024 * 1024
  /// Deepest nesting of collections.
  public static let maxDepth = 256
  /// Most nodes the document may have once every alias is expanded ("billion laughs" guard).
  public static let maxNodes = 100_000

  /// Parses `bytes` (the contents of `file`, used only in errors).
  public static func load(_ bytes: [UInt8], file: String) -> Result<YAMLDocument, ConfigError> {
    if bytes.count > maxBytes {
      return .failure(
        ConfigError(
          file: file, location: nil,
          problem: .file(.tooLarge(bytes: bytes.count, limit: maxBytes))))
    }
    let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
    defer { parser.deallocate() }
    guard yaml_parser_initialize(parser) != 0 else {
      return .failure(
        ConfigError(file: file, location: nil, problem: .yaml(.syntax("out of memory"))))
    }
    defer { yaml_parser_delete(parser) }
    return bytes.withUnsafeBufferPointer { buffer in
      yaml_parser_set_input_string(parser, buffer.baseAddress, buffer.count)
      var builder = Builder()
      switch builder.run(parser, bytes: buffer) {
      case .success(let document):
        return .success(document)
      case .failure(let located):
        return .failure(
          ConfigError(file: file, location: located.location, problem: .yaml(located.problem)))
      }
    }
  }
}

/// A YAML problem and where it is, before the file name is attached.
struct LocatedYAMLProblem: Error {
  var problem: YAMLProblem
  var location: SourceLocation?
}

/// The state of one load: the flat node store and the stack of open collections.
private struct Builder {
  /// A collection whose end event has not come yet.
  struct Frame {
    var node: Int
    var kind: YAMLNode.Kind
    var children: [YAMLNodeID] = []
    var size = 1
  }

  var nodes: [YAMLNode] = []
  var children: [YAMLNodeID] = []
  var strings: [String] = []
  /// Expanded size of each node (itself plus everything below it, aliases expanded).
  var sizes: [Int] = []
  var anchors: [String: YAMLNodeID] = [:]
  var stack: [Frame] = []
  /// Nodes whose collection is still open: an alias to one of them is recursive.
  var open: Set<Int> = []
  var root: YAMLNodeID?
  var documents = 0

  /// Reads every event; returns the document or the first problem.
  mutating func run(
    _ parser: UnsafeMutablePointer<yaml_parser_t>, bytes: UnsafeBufferPointer<UInt8>
  ) -> Result<YAMLDocument, LocatedYAMLProblem> {
    var event = yaml_event_t()
    while true {
      guard yaml_parser_parse(parser, &event) != 0 else {
        return .failure(Builder.parserError(parser.pointee, bytes: bytes))
      }
      defer { yaml_event_delete(&event) }
      let type = event.type
      if type == YAML_STREAM_END_EVENT { break }
      if let problem = handle(event) { return .failure(problem) }
    }
    let rootID =
      root ?? addScalar(text: "", style: .plain, tag: nil, at: SourceLocation(line: 1, column: 1))
    return .success(YAMLDocument(root: rootID, nodes: nodes, children: children, strings: strings))
  }

  /// Applies one event; a non-nil result stops the load.
  mutating func handle(_ event: yaml_event_t) -> LocatedYAMLProblem? {
    let at = SourceLocation(
      line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
    switch event.type {
    case YAML_DOCUMENT_START_EVENT:
      documents += 1
      if documents > 1 { return LocatedYAMLProblem(problem: .multipleDocuments, location: at) }
    case YAML_SCALAR_EVENT:
      let data = event.data.scalar
      let text = Builder.string(data.value, length: data.length)
      let id = addScalar(
        text: text, style: Builder.style(data.style), tag: Builder.optionalString(data.tag), at: at)
      return attach(id, anchor: Builder.optionalString(data.anchor), at: at)
    case YAML_ALIAS_EVENT:
      let name = Builder.optionalString(event.data.alias.anchor) ?? ""
      guard let target = anchors[name] else {
        return LocatedYAMLProblem(problem: .undefinedAlias(name), location: at)
      }
      if open.contains(target.index) {
        return LocatedYAMLProblem(problem: .recursiveAlias(name), location: at)
      }
      return attach(target, anchor: nil, at: at)
    case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
      if stack.count >= YAMLLoader.maxDepth {
        return LocatedYAMLProblem(problem: .tooDeep(limit: YAMLLoader.maxDepth), location: at)
      }
      let isMapping = event.type == YAML_MAPPING_START_EVENT
      let anchor =
        isMapping
        ? Builder.optionalString(event.data.mapping_start.anchor)
        : Builder.optionalString(event.data.sequence_start.anchor)
      let tag =
        isMapping
        ? Builder.optionalString(event.data.mapping_start.tag)
        : Builder.optionalString(event.data.sequence_start.tag)
      let kind: YAMLNode.Kind = isMapping ? .mapping : .sequence
      let index = nodes.count
      nodes.append(
        YAMLNode(
          kind: kind, style: .none, location: at, payload: 0, count: 0, tag: intern(tag)))
      sizes.append(1)
      if let anchor { anchors[anchor] = YAMLNodeID(index) }
      open.insert(index)
      stack.append(Frame(node: index, kind: kind))
    case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
      guard let frame = stack.popLast() else { return nil }
      open.remove(frame.node)
      if let problem = close(frame) { return problem }
      return attach(YAMLNodeID(frame.node), anchor: nil, at: at)
    default:
      break
    }
    return nil
  }

  /// Stores a scalar node and returns its id.
  mutating func addScalar(
    text: String, style: YAMLNode.Style, tag: String?, at: SourceLocation
  ) -> YAMLNodeID {
    strings.append(text)
    let index = nodes.count
    nodes.append(
      YAMLNode(
        kind: .scalar, style: style, location: at, payload: Int32(strings.count - 1), count: 0,
        tag: intern(tag)))
    sizes.append(1)
    return YAMLNodeID(index)
  }

  /// Records `id` as the root or as the next child of the innermost open collection.
  mutating func attach(_ id: YAMLNodeID, anchor: String?, at: SourceLocation)
    -> LocatedYAMLProblem?
  {
    if let anchor { anchors[anchor] = id }
    guard !stack.isEmpty else {
      root = id
      return nil
    }
    let last = stack.count - 1
    stack[last].children.append(id)
    stack[last].size += sizes[id.index]
    if stack[last].size > YAMLLoader.maxNodes {
      return LocatedYAMLProblem(problem: .tooManyNodes(limit: YAMLLoader.maxNodes), location: at)
    }
    return nil
  }

  /// Finishes a collection: checks keys, applies merge keys, stores its children contiguously.
  mutating func close(_ frame: Frame) -> LocatedYAMLProblem? {
    var items = frame.children
    if frame.kind == .mapping {
      switch mappingPairs(items) {
      case .success(let merged): items = merged
      case .failure(let problem): return problem
      }
    }
    let start = children.count
    children.append(contentsOf: items)
    let old = nodes[frame.node]
    nodes[frame.node] = YAMLNode(
      kind: old.kind, style: old.style, location: old.location, payload: Int32(start),
      count: Int32(frame.kind == .mapping ? items.count / 2 : items.count), tag: old.tag)
    sizes[frame.node] = frame.size
    return nil
  }

  /// The key/value list of a mapping with duplicates rejected and `<<` merges applied.
  func mappingPairs(_ items: [YAMLNodeID]) -> Result<[YAMLNodeID], LocatedYAMLProblem> {
    var explicit: [YAMLNodeID] = []
    var seen: [String: SourceLocation] = [:]
    var merges: [YAMLNodeID] = []
    var i = 0
    while i + 1 < items.count {
      let key = items[i]
      let value = items[i + 1]
      i += 2
      let keyNode = nodes[key.index]
      guard keyNode.kind == .scalar else {
        return .failure(LocatedYAMLProblem(problem: .complexKey, location: keyNode.location))
      }
      let text = strings[Int(keyNode.payload)]
      if text == "<<", keyNode.style == .plain, isMergeTag(keyNode.tag) {
        merges.append(value)
        continue
      }
      if let first = seen[text] {
        return .failure(
          LocatedYAMLProblem(
            problem: .duplicateKey(text, first: first), location: keyNode.location))
      }
      seen[text] = keyNode.location
      explicit.append(key)
      explicit.append(value)
    }
    // Earlier merge sources win over later ones; explicit keys win over all.
    for merge in merges {
      let sources: [YAMLNodeID]
      switch nodes[merge.index].kind {
      case .mapping: sources = [merge]
      case .sequence: sources = Array(itemsOf(merge))
      case .scalar:
        return .failure(
          LocatedYAMLProblem(problem: .invalidMerge, location: nodes[merge.index].location))
      }
      for source in sources {
        let node = nodes[source.index]
        guard node.kind == .mapping else {
          return .failure(LocatedYAMLProblem(problem: .invalidMerge, location: node.location))
        }
        let start = Int(node.payload)
        for p in 0..<Int(node.count) {
          let key = children[start + 2 * p]
          let text = strings[Int(nodes[key.index].payload)]
          if seen[text] != nil { continue }
          seen[text] = nodes[key.index].location
          explicit.append(key)
          explicit.append(children[start + 2 * p + 1])
        }
      }
    }
    return .success(explicit)
  }

  /// The stored items of a finished sequence.
  func itemsOf(_ id: YAMLNodeID) -> ArraySlice<YAMLNodeID> {
    let node = nodes[id.index]
    return children[Int(node.payload)..<Int(node.payload) + Int(node.count)]
  }

  /// A `<<` key merges when it has no tag or the merge tag.
  func isMergeTag(_ tag: Int32) -> Bool {
    tag < 0 || strings[Int(tag)] == "tag:yaml.org,2002:merge"
  }

  /// Stores an optional tag string, returning its index or -1.
  mutating func intern(_ tag: String?) -> Int32 {
    guard let tag else { return -1 }
    strings.append(tag)
    return Int32(strings.count - 1)
  }

  /// libyaml's error as a located problem.
  static func parserError(_ parser: yaml_parser_t, bytes: UnsafeBufferPointer<UInt8>)
    -> LocatedYAMLProblem
  {
    let problem = optionalString(parser.problem) ?? "unknown error"
    if parser.error == YAML_READER_ERROR {
      // Reader errors (invalid UTF-8, control characters) carry a byte offset, not a mark.
      let location = ConfigBytes.location(
        of: Int(parser.problem_offset), in: bytes,
        start: ConfigBytes.contentStart(bytes))
      var text = problem
      if parser.problem_value >= 0, parser.problem_value <= 255 {
        text += " (byte 0x\(hex(UInt8(parser.problem_value))))"
      }
      return LocatedYAMLProblem(problem: .syntax(text), location: location)
    }
    var text = problem
    if let context = optionalString(parser.context) {
      let mark = parser.context_mark
      text += " (\(context) that started at line \(mark.line + 1), column \(mark.column + 1))"
    }
    let mark = parser.problem_mark
    return LocatedYAMLProblem(
      problem: .syntax(text),
      location: SourceLocation(line: Int(mark.line) + 1, column: Int(mark.column) + 1))
  }

  /// Two hex digits.
  static func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
  }

  /// A NUL-terminated C string, or nil.
  static func optionalString(_ pointer: UnsafePointer<CChar>?) -> String? {
    guard let pointer else { return nil }
    return String(cString: pointer)
  }

  /// A NUL-terminated libyaml string (unsigned chars), or nil.
  static func optionalString(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
    guard let pointer else { return nil }
    return String(cString: pointer)
  }

  /// A scalar's value, which may contain NUL bytes, by its length.
  static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?, length: Int) -> String {
    guard let pointer else { return "" }
    return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
  }

  /// Maps libyaml's scalar style.
  static func style(_ style: yaml_scalar_style_t) -> YAMLNode.Style {
    switch style {
    case YAML_PLAIN_SCALAR_STYLE: .plain
    case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
    case YAML_LITERAL_SCALAR_STYLE: .literal
    case YAML_FOLDED_SCALAR_STYLE: .folded
    default: .plain
    }
  }
}
