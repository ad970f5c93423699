namespace Acf.Tests.Auth;

public sealed class LoginThrottleTests
{
    private const string Address = "192.0.2.10";
    private const string OtherAddress = "198.51.100.7";

    private readonly FakeClock _clock = new();
    private readonly LoginThrottleOptions _options = new()
    {
        MaxFailures = 3,
        Window = TimeSpan.FromMinutes(10),
        Lockout = TimeSpan.FromMinutes(5),
        FirstBackOff = TimeSpan.FromMinutes(5), // the back-off starts at the lockout: these tests see one fixed lock
    };

    [Fact]
    public void Options_Defaults_MatchDocumentedValues()
    {
        // Act
        var options = new LoginThrottleOptions();

        // Assert
        Assert.Equal(5, options.MaxFailures);
        Assert.Equal(TimeSpan.FromMinutes(15), options.Window);
        Assert.Equal(TimeSpan.FromMinutes(15), options.Lockout);
        Assert.Equal(10_000, options.MaxTrackedKeys);
    }

    [Fact]
    public void IsLocked_NoFailures_ReturnsFalse()
    {
        // Arrange
        var throttle = new LoginThrottle(_clock, _options);

        // Act and assert
        AssertRootNotLocked(throttle);
    }

    [Fact]
    public void IsLocked_FewerThanMaxFailures_ReturnsFalse()
    {
        // Arrange
        var throttle = ThrottleAfterFailures(("root", Address), ("root", Address));

        // Act
        var locked = throttle.IsLocked("root", Address, out _);

        // Assert
        Assert.False(locked);
    }

    [Fact]
    public void IsLocked_MaxFailures_ReturnsTrueWithLockoutFromLastFailure()
    {
        // Arrange
        var throttle = RootFailedAtMinutes(0, 1, 2);
        _clock.Advance(TimeSpan.FromMinutes(2));

        // Act and assert
        AssertRootLockedFor(throttle, TimeSpan.FromMinutes(3));
    }

    [Fact]
    public void IsLocked_NameVariantsFromManyAddresses_LocksTheName()
    {
        // Arrange: case and space variants of one name, each from its own address.
        var throttle = ThrottleAfterFailures(("Root", "203.0.113.1"), (" root", "203.0.113.2"), ("ROOT\t", "203.0.113.3"));

        // Act
        var locked = throttle.IsLocked("root", "203.0.113.4", out _);

        // Assert
        Assert.True(locked);
    }

    [Fact]
    public void IsLocked_ManyNamesFromOneAddress_LocksTheAddress()
    {
        // Arrange: unknown names count too.
        var throttle = ThrottleAfterFailures(("alice", Address), ("bob", Address), ("no-such-user", Address));

        // Act
        var lockedForNewName = throttle.IsLocked("carol", Address, out _);
        var lockedElsewhere = throttle.IsLocked("carol", OtherAddress, out _);

        // Assert
        Assert.True(lockedForNewName);
        Assert.False(lockedElsewhere);
    }

    [Fact]
    public void IsLocked_AfterLockoutEnds_ReturnsFalse()
    {
        // Arrange
        var throttle = RootLockedOut();

        _clock.Advance(_options.Lockout);

        // Act and assert
        AssertRootNotLocked(throttle);
    }

    [Fact]
    public void IsLocked_FailuresSpreadBeyondWindow_ReturnsFalse()
    {
        // Arrange: each failure comes after a quiet window, so none is "in a row" with the one before.
        var throttle = RootFailedAtMinutes(0, 11, 22);

        // Act
        var locked = throttle.IsLocked("root", Address, out _);

        // Assert
        Assert.False(locked);
    }

    [Fact]
    public void RecordFailure_WhileLocked_ExtendsLockFromLastFailure()
    {
        // Arrange
        var throttle = RootLockedOut();

        _clock.Advance(TimeSpan.FromMinutes(4));
        throttle.RecordFailure("root", Address, userExists: false);
        _clock.Advance(TimeSpan.FromMinutes(4));

        // Act and assert
        AssertRootLockedFor(throttle, TimeSpan.FromMinutes(1));
    }

    [Fact]
    public void RecordFailure_AfterLockEnds_WaitsAgainUntilQuietForAWindow()
    {
        // Arrange: a guesser who waits out the lock gets one guess, not a fresh allowance.
        var throttle = RootLockedOut();

        _clock.Advance(_options.Lockout);
        throttle.RecordFailure("root", Address, userExists: false);
        Assert.True(throttle.IsLocked("root", Address, out _));

        // Act: quiet for a whole window after the wait ended
        _clock.Advance(_options.Lockout + _options.Window + TimeSpan.FromSeconds(1));
        throttle.RecordFailure("root", Address, userExists: false);

        // Assert
        Assert.False(throttle.IsLocked("root", Address, out _));
    }

    [Fact]
    public void RecordSuccess_AfterFailures_ClearsUserButNotAddress()
    {
        // Arrange: two failures for root and a third for another name, all from one address.
        var throttle = ThrottleAfterFailures(("root", Address), ("root", Address));

        // Act
        throttle.RecordSuccess("root", Address);
        throttle.RecordFailure("root", OtherAddress, userExists: false);
        throttle.RecordFailure("root", OtherAddress, userExists: false);
        throttle.RecordFailure("alice", Address, userExists: false);

        // Assert: root has only two fresh failures, the address has three.
        Assert.False(throttle.IsLocked("root", "203.0.113.9", out _));
        Assert.True(throttle.IsLocked("bob", Address, out _));
    }

    [Fact]
    public void RecordSuccess_NameVariant_ClearsTheSameCounter()
    {
        // Arrange
        var throttle = ThrottleAfterFailures(("root", "203.0.113.1"), ("root", "203.0.113.2"));

        // Act
        throttle.RecordSuccess(" ROOT ", "203.0.113.3");
        throttle.RecordFailure("root", "203.0.113.4", userExists: false);

        // Assert
        Assert.False(throttle.IsLocked("root", "203.0.113.5", out _));
    }

    [Fact]
    public void RecordFailure_BeyondMaxTrackedKeys_DropsOldestExpiredFirst()
    {
        // Arrange: room for four keys. x and address A are the oldest but still locked; y and address B are newer
        // but have left the window without a lock, so they no longer matter.
        var throttle = ThrottleAfterFailures(RoomForFourKeys(maxFailures: 2), ("x", "A"), ("x", "A"));
        FailAfterMinutes(throttle, 1, "y", "B");
        _clock.Advance(TimeSpan.FromMinutes(2));

        // Act: two new keys, so two evictions.
        throttle.RecordFailure("z", "C", userExists: false);

        // Assert: the locks survive; the second failure of z shows z's key was kept.
        Assert.True(throttle.IsLocked("x", "D", out _));
        Assert.True(throttle.IsLocked("other", "A", out _));
        throttle.RecordFailure("z", "E", userExists: false);
        Assert.True(throttle.IsLocked("z", "F", out _));
    }

    [Fact]
    public void RecordFailure_BeyondMaxTrackedKeysNoneExpired_DropsOldest()
    {
        // Arrange: room for four keys, every failure locks for ten minutes.
        var throttle = ThrottleAfterFailures(RoomForFourKeys(maxFailures: 1), ("a", "A"));
        FailAfterMinutes(throttle, 1, "b", "B");
        _clock.Advance(TimeSpan.FromMinutes(1));

        // Act: one new key (user c); address B is already tracked.
        throttle.RecordFailure("c", "B", userExists: false);

        // Assert: only the oldest key, user a, was dropped.
        Assert.False(throttle.IsLocked("a", "Z", out _));
        Assert.True(throttle.IsLocked("other", "A", out _));
        Assert.True(throttle.IsLocked("b", "Z", out _));
        Assert.True(throttle.IsLocked("c", "Z", out _));
    }

    [Fact]
    public void Constructor_InvalidOptions_Throws()
    {
        // Arrange
        var options = new LoginThrottleOptions { MaxFailures = 0 };

        // Act
        var act = () => new LoginThrottle(_clock, options);

        // Assert
        Assert.Throws<ArgumentOutOfRangeException>(act);
    }

    [Fact]
    public void Lock_ByHand_LastsUntilUnlockedAndFailuresDoNotShortenIt()
    {
        // Arrange
        var throttle = new LoginThrottle(_clock, _options);
        throttle.Lock(ThrottleKind.User, "Bob");

        // Act
        _clock.Advance(TimeSpan.FromDays(3));
        throttle.RecordFailure("bob", Address, userExists: false);
        _clock.Advance(_options.Lockout + TimeSpan.FromMinutes(1));
        var lockedLater = throttle.IsLocked("bob", OtherAddress, out _);
        var unlocked = throttle.Unlock(ThrottleKind.User, "bob");

        // Assert
        Assert.True(lockedLater);
        Assert.True(unlocked);
        Assert.False(throttle.IsLocked("bob", OtherAddress, out _));
        Assert.False(throttle.IsLockedByHand("bob"));
    }

    [Fact]
    public void Locks_ListsUserAndAddressLocks_WithManualFlag()
    {
        // Arrange
        var throttle = RootLockedOut();
        throttle.Lock(ThrottleKind.Address, OtherAddress);

        // Act
        var locks = throttle.Locks();

        // Assert
        Assert.Equal(
            [new ThrottleLock(ThrottleKind.User, "root", _clock.GetUtcNow() + _options.Lockout, false),
             new ThrottleLock(ThrottleKind.Address, Address, _clock.GetUtcNow() + _options.Lockout, false),
             new ThrottleLock(ThrottleKind.Address, OtherAddress, DateTimeOffset.MaxValue, true)],
            locks);
        Assert.True(throttle.IsLocked("anyone", OtherAddress, out _));
        Assert.False(throttle.IsLockedByHand("root"));
    }

    [Fact]
    public void Unlock_AddressLockedByFailures_AcceptsAgain()
    {
        // Arrange
        var throttle = new LoginThrottle(_clock, _options);
        for (var i = 0; i < _options.MaxFailures; i++) throttle.RecordFailure("u" + i, Address, userExists: false);

        // Act
        throttle.Unlock(ThrottleKind.Address, Address);

        // Assert
        Assert.False(throttle.IsLocked("someone", Address, out _));
    }

    [Fact]
    public void Flood_OfMadeUpNamesFromManyAddresses_DoesNotLiftARealUsersLock()
    {
        // Arrange: the attack of issue 16, small: a full table of made-up names and addresses pushed root's lock out.
        var options = new LoginThrottleOptions { MaxFailures = 3, MaxTrackedKeys = 10, FirstBackOff = TimeSpan.FromMinutes(5), Lockout = TimeSpan.FromMinutes(5) };
        var throttle = new LoginThrottle(_clock, options);
        for (var i = 0; i < 3; i++) throttle.RecordFailure("root", Address, userExists: true);

        // Act
        for (var i = 0; i < 1000; i++) throttle.RecordFailure("made-up-" + i, $"127.0.{i / 250}.{i % 250}", userExists: false);

        // Assert
        Assert.True(throttle.IsLocked("root", OtherAddress, out _));
    }

    [Fact]
    public void Flood_PushesOutQuietAndNotWaitingEntriesBeforeWaitingOnes()
    {
        // Arrange: room for four; address A waits, the rest is one failure each (not waiting).
        var options = new LoginThrottleOptions { MaxFailures = 2, MaxTrackedKeys = 4, FirstBackOff = TimeSpan.FromMinutes(5), Lockout = TimeSpan.FromMinutes(5) };
        var throttle = new LoginThrottle(_clock, options);
        throttle.RecordFailure("p", "A", userExists: false);
        throttle.RecordFailure("q", "A", userExists: false);

        // Act: many new keys, each failing once
        for (var i = 0; i < 20; i++) throttle.RecordFailure("n" + i, "B" + i, userExists: false);

        // Assert: A still waits although it is the oldest entry
        Assert.True(throttle.IsLocked("someone", "A", out _));
    }

    [Fact]
    public void KnownGoodAddress_IsNotLockedOutByOthersGuessing()
    {
        // Arrange: root logged in from home before; someone else guesses root's password elsewhere.
        var throttle = new LoginThrottle(_clock, _options);
        throttle.RecordSuccess("root", Address);
        for (var i = 0; i < 10; i++) throttle.RecordFailure("root", OtherAddress, userExists: true);

        // Act
        var home = throttle.IsLocked("root", Address, out _);
        var elsewhere = throttle.IsLocked("root", "203.0.113.9", out _);

        // Assert
        Assert.False(home);
        Assert.True(elsewhere);
    }

    [Fact]
    public void HandLock_AppliesAlsoFromAKnownGoodAddress()
    {
        var throttle = new LoginThrottle(_clock, _options);
        throttle.RecordSuccess("alice", Address);

        throttle.Lock(ThrottleKind.User, "alice");

        Assert.True(throttle.IsLocked("alice", Address, out _));
    }

    [Fact]
    public void BackOff_DoublesWithEachFailure_UpToTheLockout()
    {
        // Arrange
        var options = new LoginThrottleOptions
        {
            MaxFailures = 3, Window = TimeSpan.FromMinutes(10), FirstBackOff = TimeSpan.FromSeconds(30), Lockout = TimeSpan.FromMinutes(2),
        };
        var throttle = new LoginThrottle(_clock, options);
        var waits = new List<TimeSpan>();

        // Act: fail, wait out the back-off, fail again
        for (var i = 0; i < 7; i++)
        {
            throttle.RecordFailure("root", Address, userExists: true);
            throttle.IsLocked("root", Address, out var wait);
            waits.Add(wait);
            _clock.Advance(wait);
        }

        // Assert
        Assert.Equal(new[] { 0, 0, 30, 60, 120, 120, 120 }, waits.Select(w => (int)w.TotalSeconds));
    }

    [Fact]
    public void RefusedAttempts_DoNotExtendTheWait()
    {
        var throttle = new LoginThrottle(_clock, _options);
        for (var i = 0; i < 3; i++) throttle.RecordFailure("root", Address, userExists: true);

        for (var i = 0; i < 100; i++) throttle.IsLocked("root", OtherAddress, out _);
        _clock.Advance(_options.Lockout);

        Assert.False(throttle.IsLocked("root", "203.0.113.9", out _));
    }

    /// <summary>A throttle with the class's options that has seen these failures (user, address), one after another
    /// at the same moment, each for a name that does not exist.</summary>
    private LoginThrottle ThrottleAfterFailures(params (string User, string Address)[] failures) =>
        ThrottleAfterFailures(_options, failures);

    /// <summary>The same with other options.</summary>
    private LoginThrottle ThrottleAfterFailures(LoginThrottleOptions options, params (string User, string Address)[] failures)
    {
        var throttle = new LoginThrottle(_clock, options);
        foreach (var (user, address) in failures)
        {
            throttle.RecordFailure(user, address, userExists: false);
        }

        return throttle;
    }

    /// <summary>A throttle with the class's options where root failed from <see cref="Address"/> at these minutes
    /// from now; the clock is left at the last failure.</summary>
    private LoginThrottle RootFailedAtMinutes(params int[] minutes)
    {
        var throttle = new LoginThrottle(_clock, _options);
        var start = _clock.GetUtcNow();
        foreach (var minute in minutes)
        {
            _clock.Advance(start + TimeSpan.FromMinutes(minute) - _clock.GetUtcNow());
            throttle.RecordFailure("root", Address, userExists: false);
        }

        return throttle;
    }

    /// <summary>Lets the clock run this many minutes, then records a failure for a name that does not exist.</summary>
    private void FailAfterMinutes(LoginThrottle throttle, int minutes, string user, string address)
    {
        _clock.Advance(TimeSpan.FromMinutes(minutes));
        throttle.RecordFailure(user, address, userExists: false);
    }

    /// <summary>A throttle that has just locked root and <see cref="Address"/>: MaxFailures failures in a row.</summary>
    private LoginThrottle RootLockedOut() =>
        ThrottleAfterFailures(Enumerable.Repeat(("root", Address), _options.MaxFailures).ToArray());

    /// <summary>Asks whether root may try from <see cref="Address"/>: it may, with no wait.</summary>
    private static void AssertRootNotLocked(LoginThrottle throttle)
    {
        var locked = throttle.IsLocked("root", Address, out var retryAfter);
        Assert.False(locked);
        Assert.Equal(TimeSpan.Zero, retryAfter);
    }

    /// <summary>Asks whether root may try from <see cref="Address"/>: it may not, for this long.</summary>
    private static void AssertRootLockedFor(LoginThrottle throttle, TimeSpan retryAfter)
    {
        var locked = throttle.IsLocked("root", Address, out var actualRetryAfter);
        Assert.True(locked);
        Assert.Equal(retryAfter, actualRetryAfter);
    }

    /// <summary>Options with room for four keys, a one-minute window and ten-minute locks.</summary>
    private static LoginThrottleOptions RoomForFourKeys(int maxFailures) => new()
    {
        MaxFailures = maxFailures,
        Window = TimeSpan.FromMinutes(1),
        Lockout = TimeSpan.FromMinutes(10),
        FirstBackOff = TimeSpan.FromMinutes(10),
        MaxTrackedKeys = 4,
    };

    /// <summary>A clock that only moves when told to.</summary>
    private sealed class FakeClock : TimeProvider
    {
        private DateTimeOffset _now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
