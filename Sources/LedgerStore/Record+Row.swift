import LedgerCore

/// GRDB has a `Record` class of its own; in this module the word means a ledger record.
public typealias Record = LedgerCore.Record
