import Foundation
internal import GRDBSQLite

/// Reads the columns of the current result row of a statement, by index.
struct SQLiteColumns {
    let statement: OpaquePointer

    func isNull(_ index: Int32) -> Bool { sqlite3_column_type(statement, index) == SQLITE_NULL }

    func int64(_ index: Int32) -> Int64 { sqlite3_column_int64(statement, index) }

    func int(_ index: Int32) -> Int { Int(sqlite3_column_int64(statement, index)) }

    func double(_ index: Int32) -> Double { sqlite3_column_double(statement, index) }

    func date(_ index: Int32) -> Date { Date(timeIntervalSince1970: double(index)) }

    func string(_ index: Int32) -> String {
        guard let text = sqlite3_column_text(statement, index) else { return "" }
        let count = Int(sqlite3_column_bytes(statement, index))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    func optionalInt64(_ index: Int32) -> Int64? { isNull(index) ? nil : int64(index) }

    func optionalInt(_ index: Int32) -> Int? { isNull(index) ? nil : int(index) }

    func optionalDate(_ index: Int32) -> Date? { isNull(index) ? nil : date(index) }

    func optionalString(_ index: Int32) -> String? { isNull(index) ? nil : string(index) }

    /// A JSON object column; a value that is not one means the row was damaged.
    func jsonObject(_ index: Int32, table: String, column: String) throws -> [String: JSONValue] {
        guard let text = sqlite3_column_text(statement, index) else { return [:] }
        let bytes = UnsafeRawBufferPointer(start: text, count: Int(sqlite3_column_bytes(statement, index)))
        do {
            guard let object = try JSONValue.parse(Data(bytes)).objectValue else {
                throw CorruptRow(table: table, column: column, reason: "not a JSON object")
            }
            return object
        } catch let error as JSONValue.ParseError {
            throw CorruptRow(table: table, column: column, reason: error.description)
        }
    }
}
