import Foundation
import Testing

/// `reunite staff`, the accounts the web pages sign in against.
@Suite struct StaffTests {
    @Test func addsListsAndDisablesAccountsKeepingOnlyASaltedHash() throws {
        let reunite = ReuniteProcess()
        try reunite.succeed(["init", "--name", "深圳市儿童医院"])
        let password = "correct horse battery staple"
        #expect(try reunite.succeed(["staff", "add", "王护士"], stdin: password + "\n") == "added 王护士\n")
        try reunite.succeed(["staff", "add", "Li Wei"], stdin: "another long passphrase\n")
        let listed = try #require(try reunite.json(["staff", "list"]) as? [[String: Any]])
        #expect(listed.map { $0.string("name") } == ["Li Wei", "王护士"])
        #expect(listed.allSatisfy { $0["disabled"] as? Bool == false })
        #expect(try reunite.succeed(["staff", "disable", "王护士"]) == "disabled 王护士\n")
        let after = try #require(try reunite.json(["staff", "list"]) as? [[String: Any]])
        #expect(after.first { $0.string("name") == "王护士" }?["disabled"] as? Bool == true)
        #expect(after.allSatisfy { $0["lockedUntil"] is NSNull })
        #expect(
            try reunite.succeed(["staff", "password", "Li Wei"], stdin: "a new long passphrase\n")
                == "new password set for Li Wei\n")
        #expect(try reunite.succeed(["staff", "unlock", "Li Wei"]) == "unlocked Li Wei\n")
        // Nowhere in the database files, checkpointed or not, is the password itself.
        for suffix in ["", "-wal"] {
            let bytes = FileManager.default.contents(atPath: reunite.data + "/ledger.sqlite" + suffix) ?? Data()
            #expect(bytes.range(of: Data(password.utf8)) == nil)
        }
    }

    @Test func refusesBadAccountsWithOneLineAndWritesNothing() throws {
        let reunite = ReuniteProcess()
        try reunite.succeed(["init", "--name", "x"])
        try reunite.succeed(["staff", "add", "王护士"], stdin: "correct horse battery staple\n")
        let before = try reunite.succeed(["staff", "list", "--json"])
        for (arguments, stdin, message) in [
            (["staff", "add", "李"], "short\n", "error: password on standard input: is shorter than 10 characters"),
            (["staff", "add", "李"], "", "error: password on standard input: is missing; pipe it in, one line"),
            (["staff", "add", "王护士"], "another long passphrase\n", "error: NAME: 王护士 already has an account"),
            (
                ["staff", "add", " "], "another long passphrase\n",
                "error: NAME: \"\" is not a name (1 to 64 characters, one line)"
            ),
            (["staff", "disable", "无名"], "", "error: NAME: no staff account is called 无名 (see reunite staff list)"),
            (["staff", "unlock", "无名"], "", "error: NAME: no staff account is called 无名 (see reunite staff list)"),
            (
                ["staff", "password", "无名"], "another long passphrase\n",
                "error: NAME: no staff account is called 无名 (see reunite staff list)"
            ),
            (
                ["staff", "password", "王护士"], "short\n",
                "error: password on standard input: is shorter than 10 characters"
            ),
        ] {
            let result = try reunite.run(arguments, stdin: stdin)
            #expect(result.status != 0)
            #expect(result.stderrLines.count == 1)
            #expect(result.stderr == message + "\n")
            #expect(try reunite.succeed(["staff", "list", "--json"]) == before)
        }
    }
}
