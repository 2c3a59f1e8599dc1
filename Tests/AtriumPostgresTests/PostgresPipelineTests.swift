import Testing
@testable import AtriumPostgres

@Suite struct PostgresPipelineTests {
    private let one = PostgresResult(columns: ["n"], rows: [PostgresRow(["1"])], affectedRows: 1)
    private let two = PostgresResult(columns: [], rows: [], affectedRows: 2)
    private let unique = PostgresError(.server, "duplicate key", sqlState: "23505")

    @Test func completesATransactionAtItsSyncWithOneResultPerStatement() throws {
        var pipeline = PostgresPipeline<Int>()
        pipeline.sent(7, statements: 2)
        #expect(try pipeline.receive(.result(one)) == nil)
        #expect(try pipeline.receive(.endOfStatement) == nil)
        #expect(try pipeline.receive(.result(two)) == nil)
        #expect(try pipeline.receive(.endOfStatement) == nil)
        #expect(try pipeline.receive(.sync) == .init(id: 7, result: .success([one, two])))
        #expect(pipeline.isEmpty)
    }

    /// The first error fails the whole transaction with its SQLSTATE and the index of the
    /// statement; the statements after it report "aborted" and are not the cause.
    @Test func failsATransactionWithItsFirstErrorAndWhichStatementCausedIt() throws {
        var pipeline = PostgresPipeline<Int>()
        pipeline.sent(1, statements: 3)
        for event: PostgresPipeline<Int>.Event in [.result(one), .endOfStatement, .failure(unique), .endOfStatement, .aborted, .endOfStatement] {
            #expect(try pipeline.receive(event) == nil)
        }
        var expected = unique
        expected.statementIndex = 1
        #expect(try pipeline.receive(.sync) == .init(id: 1, result: .failure(expected)))
    }

    /// A failed transaction does not touch the next one, which PostgreSQL runs after the Sync.
    @Test func keepsTransactionsInFlightApartInOrder() throws {
        var pipeline = PostgresPipeline<Int>()
        pipeline.sent(1, statements: 1)
        pipeline.sent(2, statements: 1)
        pipeline.sent(3, statements: 1)
        #expect(pipeline.ids == [1, 2, 3])
        _ = try pipeline.receive(.failure(unique))
        _ = try pipeline.receive(.endOfStatement)
        #expect(try pipeline.receive(.sync)?.id == 1)
        _ = try pipeline.receive(.result(one))
        _ = try pipeline.receive(.endOfStatement)
        #expect(try pipeline.receive(.sync) == .init(id: 2, result: .success([one])))
        #expect(pipeline.oldest == 3)
        #expect(pipeline.removeAll() == [3])
        #expect(pipeline.isEmpty)
    }

    @Test(arguments: [
        [PostgresPipeline<Int>.Event.sync],
        [.endOfStatement],
        [.result(PostgresResult()), .result(PostgresResult())],
        [.result(PostgresResult()), .endOfStatement, .result(PostgresResult())],
    ])
    func refusesASequenceLibpqCannotProduce(_ events: [PostgresPipeline<Int>.Event]) {
        var pipeline = PostgresPipeline<Int>()
        pipeline.sent(1, statements: 1)
        #expect(throws: PostgresError.self) {
            for event in events { _ = try pipeline.receive(event) }
        }
    }

    @Test func refusesAResultWithNothingInFlight() {
        var pipeline = PostgresPipeline<Int>()
        #expect(throws: PostgresError.self) { try pipeline.receive(.result(PostgresResult())) }
    }

    /// Thousands of transactions through one pipeline keep their order and its storage stays small.
    @Test func staysInStepOverManyTransactions() throws {
        var pipeline = PostgresPipeline<Int>()
        var completed: [Int] = []
        for id in 0..<5000 {
            pipeline.sent(id, statements: 1)
            if id % 3 == 2 {
                while let oldest = pipeline.oldest, oldest <= id {
                    _ = try pipeline.receive(.result(one))
                    _ = try pipeline.receive(.endOfStatement)
                    completed.append(try #require(try pipeline.receive(.sync)).id)
                }
            }
        }
        #expect(completed == Array(0..<4998))
        #expect(pipeline.ids == [4998, 4999])
    }
}
