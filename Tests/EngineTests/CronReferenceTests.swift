import Foundation
import Testing

@testable import Engine

/// Random expressions (every dialect feature, 5 and 6 fields) in zones with DST and offset changes since 1990,
/// starting mostly within hours of a transition. Expected fires were computed by an independent Python model
/// (day by day over `zoneinfo`, with PEP 495 folds for repeated and skipped local times), not by this code.
///
/// Columns: expression | zone | start (Unix seconds) | the next three fires, each after the previous one.
@Suite("Cron reference table")
struct CronReferenceTests {
    struct Row: CustomTestStringConvertible, Sendable {
        let expression: String
        let zone: String
        let start: Int
        let fires: [Int]
        var testDescription: String { "'\(self.expression)' in \(self.zone) after \(self.start)" }
    }

    static let rows: [Row] = table.split(separator: "\n").compactMap { line in
        let columns = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        guard columns.count == 4, let start = Int(columns[2]) else { return nil }
        return Row(
            expression: columns[0],
            zone: columns[1],
            start: start,
            fires: columns[3].split(separator: " ").compactMap { Int($0) }
        )
    }

    @Test func tableIsComplete() {
        #expect(Self.rows.count == 100)
        #expect(Self.rows.allSatisfy { $0.fires.count == 3 })
    }

    @Test(arguments: Self.rows)
    func matchesTheReference(_ row: Row) throws {
        let schedule = try CronSchedule.parse(row.expression)
        let zone = CronTesting.zone(row.zone)
        var cursor = Date(timeIntervalSince1970: Double(row.start))
        var fires: [Int] = []
        for _ in row.fires {
            guard let fire = schedule.next(after: cursor, in: zone) else { break }
            fires.append(Int(fire.timeIntervalSince1970))
            cursor = fire
        }
        #expect(fires == row.fires)
    }
}

private let table = """
        41/42,30 16/17 */12,L * * | Asia/Pyongyang | 1439570188 | 1440489600 1440490260 1441008000
        41 * * * FRI,4 | Europe/Volgograd | 654678030 | 654990060 654993660 654997260
        56-59/1 14-52 */12 * * 3-3/1 | America/Sao_Paulo | 719989371 | 720238496 720238497 720238498
        59,18/55,18 1,*/5 L * * | Europe/Berlin | 670381436 | 670389480 670391940 670407480
        * * L * 2#1 | Pacific/Kiritimati | 788814972 | 789040800 789040860 789040920
        */10 */2,17 ? * TUE/2 | America/Santiago | 876638692 | 876798000 876798600 876799200
        26,14-44,36 */6,8-34,0 12 ? * 3 | America/Asuncion | 1129411863 | 1129734014 1129734015 1129734016
        * 23,17-19,21-21/1 LW,*/13 MAY,aug-9,4 Wed | Europe/London | 796188616 | 796752000 796752060 796752120
        * */3 21-25,28 * 1 | America/Godthab | 1887760629 | 1887847200 1887847260 1887847320
        17-43/7 2,16-22/4 LW * THU | Australia/Lord_Howe | 909240611 | 909587820 909588240 909588660
        * 8-9 * */6 ? | Europe/Volgograd | 1540673463 | 1546315200 1546315260 1546315320
        55-59/5 6/6 ? * * | America/St_Johns | 1762063827 | 1762079100 1762100700 1762122300
        16-24/8 * 7/18 * ? | Europe/Dublin | 1856419047 | 1857168960 1857169440 1857172560
        23-59,*/26 * 4-6,22,*/12 1/14,LW * 3L | Africa/Cairo | 2045500774 | 2045685600 2045685623 2045685624
        8-41/14,*/22 * LW * * | America/Sao_Paulo | 1424561883 | 1425006000 1425006480 1425007320
        58-59 8-15/1 ? * 3#2 | Pacific/Apia | 1569510449 | 1570561080 1570561140 1570564680
        7 19,1,*/3 * * * | Europe/Moscow | 701831480 | 701834820 701845620 701856420
        34,2 1-14 4-4 L * */3 | Pacific/Kwajalein | 745938727 | 751996862 751996894 751996922
        38-41/3 * * * 6-6 | America/New_York | 1994315191 | 1994819880 1994820060 1994823480
        47-49,*/25,8-13 23 */8 * 4L | Pacific/Kiritimati | 788865526 | 801392400 801392880 801392940
        37-48/7,44-57,33 * 31-31,27-30/1 * * | Pacific/Apia | 1348936482 | 1348936620 1348937040 1348937100
        * 8,1-10,*/7 ? * * | Pacific/Kwajalein | 745822872 | 745837200 745837260 745837320
        15,48 * * */5,9-DEC/3 * | Australia/Sydney | 636326932 | 644163300 644165280 644166900
        53-56 23,2-16 26,5 * 2-6 | UTC | 1200419623 | 1200441180 1200441240 1200441300
        46 * 29,L * * | Pacific/Apia | 1285488924 | 1285757160 1285760760 1285764360
        * 23,9,3 * oct/1 5-Sat | Europe/London | 877885218 | 878266800 878266860 878266920
        13 */26 23-23 ? * */3,5-5 | Europe/Dublin | 828223720 | 828226813 828228373 828229933
        41-44 4-11/5,8,22-23 * * SUN,3L | America/Havana | 1962848710 | 1962866460 1962866520 1962866580
        35 * * */2 * | Africa/Cairo | 1871939692 | 1872279300 1872282900 1872286500
        59 * 5/16,29W * 4-4,5 | Europe/Berlin | 1351389003 | 1351468740 1351472340 1351475940
        55/2,32-53 23,14-22 * * Fri/6 | America/Sao_Paulo | 1413684244 | 1414168320 1414168380 1414168440
        26-47/5 4-8 * 10 * | America/New_York | 719872304 | 719915160 719915460 719915760
        25-43 23,20-20/1 * * * | Antarctica/Troll | 1711845486 | 1711909500 1711909560 1711909620
        * 13/1 * SEP ? | Africa/Cairo | 1951685418 | 1977645600 1977645660 1977645720
        13/5,29 8-17,6-14 * * 1 | America/Sao_Paulo | 888722390 | 888829980 888830280 888830580
        48 4/16,*/6,14/21 * */3,MAY,*/6 THU-4 | America/Asuncion | 1062951348 | 1065066480 1065080880 1065088080
        12-22/11 23-23,10/14,3 * * * | Asia/Kathmandu | 1889484971 | 1889497620 1889544420 1889558820
        */15,43 * * * MON#1 | Africa/Casablanca | 1403924394 | 1404691200 1404692100 1404693000
        */14 5-10 * * 4,0-WED | America/New_York | 765434747 | 765450000 765450840 765451680
        */5,55,*/6 0 * 3,APR-7 * | Asia/Tehran | 1663617547 | 1677616200 1677616500 1677616560
        * 1 L-6 * */3 | Pacific/Kwajalein | 745861764 | 746197200 746197260 746197320
        37 59-59 18-21 L-2,L-1 * * | Australia/Sydney | 1696091166 | 1698566377 1698569977 1698573577
        5,42-52/5 47-57 * 16 8,1-2/1 * | America/Godthab | 1414288102 | 1421380025 1421380062 1421380067
        4-44 * */7 18/27 NOV-11 6#2,*/3 | America/St_Johns | 1257048771 | 1257048784 1257048785 1257048786
        12 * 23,4-10/6 15 FEB * | Europe/Moscow | 1256425742 | 1266195612 1266195672 1266195732
        52-56/4 45-49/4 6-6,19-20,6-10 * * * | Africa/Cairo | 1146182394 | 1146195952 1146195956 1146196192
        36-39,59/38 1,2 7 */5 * | Africa/Cairo | 1400198016 | 1402094160 1402094220 1402094280
        45 0-1,5-19/4 LW,21 9-12/1 5-SAT | Pacific/Apia | 1348916488 | 1349347500 1349351100 1349365500
        56-59 35-59 8 * * * | Antarctica/Troll | 1824942129 | 1824971756 1824971757 1824971758
        54-58 0 * * * | Asia/Kathmandu | 1198514248 | 1198523340 1198523400 1198523460
        59 4,0-8 L * THU-5 | America/St_Johns | 1130601267 | 1130732940 1130736540 1130740140
        * 23 31 4-7 6#2 | Africa/Cairo | 893376147 | 894744000 894744060 894744120
        * 19/4 31W * * | Europe/Moscow | 701842420 | 702054000 702054060 702054120
        * 44,0,39-55 * * dec-12 * | Africa/Casablanca | 1312117230 | 1322697600 1322697601 1322697602
        31 17-23 22-26/5,30W * * | Australia/Sydney | 1333219743 | 1335079860 1335083460 1335087060
        34-44,*/18 3-55/50 3 */5 * 2L | America/Santiago | 2027563089 | 2042863380 2042863398 2042863414
        50-59 * LW 10-11/1 5-5/1 | Asia/Kolkata | 1168888022 | 1191525600 1191525660 1191525720
        19-50 2,18-18,2 * 9-oct 2-6 | UTC | 1683332560 | 1693534740 1693534800 1693534860
        36,*/16,39-41 */3 * * 4-5 | Europe/Dublin | 1099191775 | 1099526400 1099527360 1099528320
        49-51 2,15-23 L,LW * ? | Antarctica/Troll | 1553953795 | 1553994000 1554040140 1554040200
        0,12-52 19-22/2 16-22/7 * Fri-5/1 | Europe/Moscow | 1269633397 | 1270220400 1270221120 1270221180
        59/55,*/11 * 2W * * | Pacific/Apia | 1484541975 | 1485943200 1485943860 1485944520
        44,21,38-58/14 18-21/1,16 * JUN/9 * | Australia/Lord_Howe | 1775149428 | 1780293060 1780294080 1780294440
        2,31-37 36-44/1 10-17,0,11-12 ? */2 * | Africa/Casablanca | 1317214708 | 1317216962 1317216991 1317216992
        55 10/5 ? */6 * | America/St_Johns | 1591387605 | 1593609900 1593627900 1593645900
        45-57 * * */5,12/1 FRI-SAT,FRI | America/St_Johns | 1237407800 | 1244171700 1244171760 1244171820
        40 * 20-23,10,21-22 L apr/4,4,nov 5/5,1-3 | America/St_Johns | 1192223386 | 1194006640 1194006700 1194006760
        */26 12-31,5,*/13 0 L * * | UTC | 1625620467 | 1627689600 1627689626 1627689652
        39-43/5,0 * 31W * 3 | Australia/Lord_Howe | 1270386954 | 1270560600 1270562940 1270564200
        * * * * * | Pacific/Apia | 1301703293 | 1301703300 1301703360 1301703420
        * * 3 OCT,5-7,APR-JUL/2 * | America/St_Johns | 1225599688 | 1238725800 1238725860 1238725920
        55 47 * */4 * 1-2 | America/Sao_Paulo | 1298074924 | 1298260075 1298263675 1298267275
        41,3/3 16,7-17 11-27 * SUNL | Australia/Lord_Howe | 1980407756 | 1981051380 1981051560 1981051740
        34-51/3 9 * * * | Europe/Dublin | 1982660112 | 1982738040 1982738220 1982738400
        15 1 * * * | America/St_Johns | 1994354153 | 1994384700 1994471100 1994557500
        27-31/2 * 8/4 * * | UTC | 1201069863 | 1201134420 1201134540 1201134660
        */5 20 L,21 4 * | UTC | 1617829622 | 1619035200 1619035500 1619035800
        * * */6 16 * * | America/Santiago | 1648806618 | 1650081600 1650081601 1650081602
        */15 10-19 1W,10 * * | Australia/Lord_Howe | 1943029803 | 1943307000 1943307900 1943308800
        5,*/24,*/17 13-23/5,3,6-6/1 * 1-AUG/6 1-3 | America/Havana | 1763982826 | 1767600000 1767600300 1767601020
        */2,49 4 27,LW * 4 | Pacific/Apia | 1585994841 | 1586358000 1586358120 1586358240
        2-6/3,17-47/16 * 1 14 * 3L | Africa/Casablanca | 1865949712 | 1866931202 1866931205 1866931217
        18-20 26 3 ? * * | Africa/Casablanca | 1521956868 | 1522031178 1522031179 1522031180
        */8,30,*/17 30 13/2,11-14/4 * * * | Pacific/Chatham | 1933092263 | 1933105500 1933105508 1933105516
        */16 18-19/1 21 * 0-6 | Europe/London | 2014830020 | 2014830960 2014831920 2014832880
        50-58 21/3,19-23,14/2 * * Mon-3/1 | Australia/Sydney | 1322353578 | 1322452200 1322452260 1322452320
        0,16 * * * * | Asia/Kathmandu | 1624333839 | 1624335300 1624336260 1624338900
        6 19-23/1 * * 3-3 | America/Havana | 1994210951 | 1994627160 1994630760 1994634360
        * 10 16 JUN-11/3 ? | Asia/Kolkata | 1448290457 | 1466051400 1466051460 1466051520
        31/21 * */10 8 * | Asia/Tehran | 1221793687 | 1249070460 1249071720 1249074060
        * * ? * TUE/6 | Europe/Berlin | 1206857271 | 1207000800 1207000860 1207000920
        51,*/26,11-19 2,16-18/2 13,LW * 5#1 | Europe/Berlin | 1206796761 | 1206921600 1206922260 1206922320
        25,36/41 56 */8 * * 0-SUN,6#5 | Asia/Kolkata | 1609401935 | 1609615585 1609615596 1609644385
        * * */2 * * | Asia/Tehran | 1530111343 | 1530111360 1530111420 1530111480
        22,34 * * SEP-10 * | Africa/Casablanca | 1809270463 | 1819754520 1819755240 1819758120
        * 5 * 28W * * | Africa/Casablanca | 1682278113 | 1682636700 1682636701 1682636702
        17-43/3 18,2 L-6 * * | America/St_Johns | 2046228694 | 2047960020 2047960200 2047960380
        16-18 */9,7 LW * 5-6 | America/Havana | 1971935629 | 1972181760 1972181820 1972181880
        53,54 0,19,10-17/7 ? 2-2 Mon | Pacific/Chatham | 1821851306 | 1833448080 1833448140 1833484080
        */27,48-51 16,20-20/1,*/3 * 8/3 1-3/2,3-3 | Pacific/Chatham | 1758978524 | 1762078500 1762080120 1762081380
    """
