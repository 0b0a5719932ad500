/// A parsed YAML document held as a flat array of nodes.
///
/// Why flat: a tree of objects 50,000 levels deep overflows the stack when it is freed, and a
/// flat array of values is freed in one go. Collections refer to their children by index into
/// `children`; an alias is simply a second reference to the anchored node, so an alias bomb
/// costs nothing to hold (its expanded size is bounded by the loader).
public struct YAMLDocument: Sendable {
  /// The root node (a null scalar for an empty document).
  public let root: YAMLNodeID
  let nodes: [YAMLNode]
  /// Children of collections, contiguous per collection; a mapping's are key, value, key, value.
  let children: [YAMLNodeID]
  /// Scalar texts, indexed by `YAMLNode.payload` for scalars.
  let strings: [String]

  init(root: YAMLNodeID, nodes: [YAMLNode], children: [YAMLNodeID], strings: [String]) {
    self.root = root
    self.nodes = nodes
    self.children = children
    self.strings = strings
  }

  /// The kind of the node.
  public func kind(_ id: YAMLNodeID) -> YAMLNode.Kind { nodes[id.index].kind }

  /// Where the node starts (for a scalar: its first character, quote included).
  public func location(_ id: YAMLNodeID) -> SourceLocation { nodes[id.index].location }

  /// The node's explicit tag (`!!str`), if any.
  public func tag(_ id: YAMLNodeID) -> String? {
    let node = nodes[id.index]
    return node.tag < 0 ? nil : strings[Int(node.tag)]
  }

  /// The text of a scalar, nil for a collection. Quoted or not, this is the text itself.
  public func scalar(_ id: YAMLNodeID) -> String? {
    let node = nodes[id.index]
    guard node.kind == .scalar else { return nil }
    return strings[Int(node.payload)]
  }

  /// Whether the scalar was written without quotes (plain style).
  public func isPlain(_ id: YAMLNodeID) -> Bool {
    nodes[id.index].kind == .scalar && nodes[id.index].style == .plain
  }

  /// YAML's null: an empty plain scalar, `~`, `null`, `Null` or `NULL` (unquoted, untagged).
  public func isNull(_ id: YAMLNodeID) -> Bool {
    guard isPlain(id), tag(id) == nil, let text = scalar(id) else { return false }
    switch text {
    case "", "~", "null", "Null", "NULL": return true
    default: return false
    }
  }

  /// The items of a sequence, in order; empty for anything else.
  public func items(_ id: YAMLNodeID) -> ArraySlice<YAMLNodeID> {
    let node = nodes[id.index]
    guard node.kind == .sequence else { return [] }
    return children[Int(node.payload)..<Int(node.payload) + Int(node.count)]
  }

  /// The pairs of a mapping, with merge keys (`<<`) already applied: explicit keys first in
  /// document order, then merged keys not given explicitly. Empty for anything else.
  public func pairs(_ id: YAMLNodeID) -> [(key: YAMLNodeID, value: YAMLNodeID)] {
    let node = nodes[id.index]
    guard node.kind == .mapping else { return [] }
    let start = Int(node.payload)
    var result: [(key: YAMLNodeID, value: YAMLNodeID)] = []
    result.reserveCapacity(Int(node.count))
    for i in 0..<Int(node.count) {
      result.append((children[start + 2 * i], children[start + 2 * i + 1]))
    }
    return result
  }

  /// Number of nodes stored (aliases not expanded).
  public var nodeCount: Int { nodes.count }
}

/// A reference to one node of a `YAMLDocument`.
public struct YAMLNodeID: Hashable, Sendable {
  let raw: Int32
  var index: Int { Int(raw) }
  init(_ index: Int) { raw = Int32(index) }
}

/// One node: its kind, place, and where its text or children are.
public struct YAMLNode: Sendable {
  public enum Kind: String, Sendable, Equatable {
    case scalar
    case sequence
    case mapping

    /// "a string", "a list", "a mapping": for "expected X, found Y" messages.
    public var noun: String {
      switch self {
      case .scalar: "a scalar"
      case .sequence: "a list"
      case .mapping: "a mapping"
      }
    }
  }

  /// How a scalar was written.
  public enum Style: UInt8, Sendable {
    case plain, singleQuoted, doubleQuoted, literal, folded, none
  }

  let kind: Kind
  let style: Style
  let location: SourceLocation
  /// Scalar: index into `strings`; collection: start index into `children`.
  let payload: Int32
  /// Collection: number of items (sequence) or pairs (mapping).
  let count: Int32
  /// Index into `strings` of the explicit tag, or -1.
  let tag: Int32
}

/// What is wrong with the YAML text itself.
public enum YAMLProblem: Sendable, Equatable {
  /// libyaml's own error: syntax, invalid UTF-8, bad indentation.
  case syntax(String)
  /// The same key twice in one mapping.
  case duplicateKey(String, first: SourceLocation)
  /// A second `---` document.
  case multipleDocuments
  /// Nesting deeper than the limit.
  case tooDeep(limit: Int)
  /// Too many nodes once aliases are expanded.
  case tooManyNodes(limit: Int)
  /// An alias to an anchor that was never defined.
  case undefinedAlias(String)
  /// An alias inside the very node it names.
  case recursiveAlias(String)
  /// A mapping key that is a list or mapping.
  case complexKey
  /// `<<` whose value is not a mapping or a list of mappings.
  case invalidMerge

  public var message: String {
    switch self {
    case .syntax(let text):
      "invalid YAML: \(text)"
    case .duplicateKey(let key, let first):
      "duplicate key '\(key)' (first defined at \(first.line):\(first.column)); remove one"
    case .multipleDocuments:
      "a second YAML document starts here; orch.yaml holds exactly one"
    case .tooDeep(let limit):
      "nesting is deeper than \(limit) levels"
    case .tooManyNodes(let limit):
      "the document has more than \(limit) nodes once aliases are expanded"
    case .undefinedAlias(let name):
      "alias '*\(name)' refers to no anchor; define '&\(name)' before it"
    case .recursiveAlias(let name):
      "alias '*\(name)' is inside the node it refers to"
    case .complexKey:
      "a mapping key must be a scalar, not a list or mapping"
    case .invalidMerge:
      "the value of a merge key '<<' must be a mapping, an alias to one, or a list of them"
    }
  }
}
