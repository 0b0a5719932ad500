import OrchKit
