using Acf.Web.Auth;

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

        // Act
        var locked = throttle.IsLocked("root", Address, out var retryAfter);

        // Assert
        Assert.False(locked);
        Assert.Equal(TimeSpan.Zero, retryAfter);
    }

    [Fact]
    public void IsLocked_FewerThanMaxFailures_ReturnsFalse()
    {
        // Arrange
        var throttle = new LoginThrottle(_clock, _options);
        throttle.RecordFailure("root", Address);
        throttle.RecordFailure("root", Address);

        // Act
        var locked = throttle.IsLocked("root", Address, out _);

        // Assert
        Assert.False(locked);
    }

    [Fact]
    public void IsLocked_MaxFailures_ReturnsTrueWithLockoutFromLastFailure()
    {
        // Arrange
        var throttle = new LoginThrottle(_clock, _options);
        throttle.RecordFailure("root", Address);
        _clock.Advance(TimeSpan.FromMinutes(1));
        throttle.RecordFailure("root", Address);
        _clock.Advance(TimeSpan.FromMinutes(1));
        throttle.RecordFailure("root", Address);
        _clock.Advance(TimeSpan.FromMinutes(2));

        // Act
        var locked = throttle.IsLocked("root", Address, out var retryAfter);

        // Assert
        Assert.True(locked);
        Assert.Equal(TimeSpan.FromMinutes(3), retryAfter);
    }

    [Fact]
    public void IsLocked_NameVariantsFromManyAddresses_LocksTheName()
    {
        // Arrange: case and space variants of one name, each from its own address.
        var throttle = new LoginThrottle(_clock, _options);
        throttle.RecordFailure("Root", "203.0.113.1");
        throttle.RecordFailure(" root", "203.0.113.2");
        throttle.RecordFailure("ROOT\t", "203.0.113.3");

        // Act
        var locked = throttle.IsLocked("root", "203.0.113.4", out _);

        // Assert
        Assert.True(locked);
    }

    [Fact]
    public void IsLocked_ManyNamesFromOneAddress_LocksTheAddress()
    {
        // Arrange: unknown names count too.
        var throttle = new LoginThrottle(_clock, _options);
        throttle.RecordFailure("alice", Address);
        throttle.RecordFailure("bob", Address);
        throttle.RecordFailure("no-such-user", Address);

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
        var throttle = new LoginThrottle(_clock, _options);
        for (var i = 0; i < 3; i++)
        {
            throttle.RecordFailure("root", Address);
        }

        _clock.Advance(_options.Lockout);

        // Act
        var locked = throttle.IsLocked("root", Address, out var retryAfter);

        // Assert
        Assert.False(locked);
        Assert.Equal(TimeSpan.Zero, retryAfter);
    }

    [Fact]
    public void IsLocked_FailuresSpreadBeyondWindow_ReturnsFalse()
    {
        // Arrange: the first failure has left the window by the time of the third.
        var throttle = new LoginThrottle(_clock, _options);
        throttle.RecordFailure("root", Address);
        _clock.Advance(TimeSpan.FromMinutes(6));
        throttle.RecordFailure("root", Address);
        _clock.Advance(TimeSpan.FromMinutes(6));
        throttle.RecordFailure("root", Address);

        // Act
        var locked = throttle.IsLocked("root", Address, out _);

        // Assert
        Assert.False(locked);
    }

    [Fact]
    public void RecordFailure_WhileLocked_ExtendsLockFromLastFailure()
    {
        // Arrange
        var throttle = new LoginThrottle(_clock, _options);
        for (var i = 0; i < 3; i++)
        {
            throttle.RecordFailure("root", Address);
        }

        _clock.Advance(TimeSpan.FromMinutes(4));
        throttle.RecordFailure("root", Address);
        _clock.Advance(TimeSpan.FromMinutes(4));

        // Act
        var locked = throttle.IsLocked("root", Address, out var retryAfter);

        // Assert
        Assert.True(locked);
        Assert.Equal(TimeSpan.FromMinutes(1), retryAfter);
    }

    [Fact]
    public void RecordFailure_AfterLockEnds_StartsCountingAfresh()
    {
        // Arrange
        var throttle = new LoginThrottle(_clock, _options);
        for (var i = 0; i < 3; i++)
        {
            throttle.RecordFailure("root", Address);
        }

        _clock.Advance(_options.Lockout);

        // Act
        throttle.RecordFailure("root", Address);

        // Assert
        Assert.False(throttle.IsLocked("root", Address, out _));
    }

    [Fact]
    public void RecordSuccess_AfterFailures_ClearsUserButNotAddress()
    {
        // Arrange: two failures for root and a third for another name, all from one address.
        var throttle = new LoginThrottle(_clock, _options);
        throttle.RecordFailure("root", Address);
        throttle.RecordFailure("root", Address);

        // Act
        throttle.RecordSuccess("root", Address);
        throttle.RecordFailure("root", OtherAddress);
        throttle.RecordFailure("root", OtherAddress);
        throttle.RecordFailure("alice", Address);

        // Assert: root has only two fresh failures, the address has three.
        Assert.False(throttle.IsLocked("root", "203.0.113.9", out _));
        Assert.True(throttle.IsLocked("bob", Address, out _));
    }

    [Fact]
    public void RecordSuccess_NameVariant_ClearsTheSameCounter()
    {
        // Arrange
        var throttle = new LoginThrottle(_clock, _options);
        throttle.RecordFailure("root", "203.0.113.1");
        throttle.RecordFailure("root", "203.0.113.2");

        // Act
        throttle.RecordSuccess(" ROOT ", "203.0.113.3");
        throttle.RecordFailure("root", "203.0.113.4");

        // Assert
        Assert.False(throttle.IsLocked("root", "203.0.113.5", out _));
    }

    [Fact]
    public void RecordFailure_BeyondMaxTrackedKeys_DropsOldestExpiredFirst()
    {
        // Arrange: room for four keys. x and address A are the oldest but still locked; y and address B are newer
        // but have left the window without a lock, so they no longer matter.
        var options = new LoginThrottleOptions
        {
            MaxFailures = 2,
            Window = TimeSpan.FromMinutes(1),
            Lockout = TimeSpan.FromMinutes(10),
            MaxTrackedKeys = 4,
        };
        var throttle = new LoginThrottle(_clock, options);
        throttle.RecordFailure("x", "A");
        throttle.RecordFailure("x", "A");
        _clock.Advance(TimeSpan.FromMinutes(1));
        throttle.RecordFailure("y", "B");
        _clock.Advance(TimeSpan.FromMinutes(2));

        // Act: two new keys, so two evictions.
        throttle.RecordFailure("z", "C");

        // Assert: the locks survive; the second failure of z shows z's key was kept.
        Assert.True(throttle.IsLocked("x", "D", out _));
        Assert.True(throttle.IsLocked("other", "A", out _));
        throttle.RecordFailure("z", "E");
        Assert.True(throttle.IsLocked("z", "F", out _));
    }

    [Fact]
    public void RecordFailure_BeyondMaxTrackedKeysNoneExpired_DropsOldest()
    {
        // Arrange: room for four keys, every failure locks for ten minutes.
        var options = new LoginThrottleOptions
        {
            MaxFailures = 1,
            Window = TimeSpan.FromMinutes(1),
            Lockout = TimeSpan.FromMinutes(10),
            MaxTrackedKeys = 4,
        };
        var throttle = new LoginThrottle(_clock, options);
        throttle.RecordFailure("a", "A");
        _clock.Advance(TimeSpan.FromMinutes(1));
        throttle.RecordFailure("b", "B");
        _clock.Advance(TimeSpan.FromMinutes(1));

        // Act: one new key (user c); address B is already tracked.
        throttle.RecordFailure("c", "B");

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
        throttle.RecordFailure("bob", Address);
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
        var throttle = new LoginThrottle(_clock, _options);
        for (var i = 0; i < _options.MaxFailures; i++) throttle.RecordFailure("root", Address);
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
        for (var i = 0; i < _options.MaxFailures; i++) throttle.RecordFailure("u" + i, Address);

        // Act
        throttle.Unlock(ThrottleKind.Address, Address);

        // Assert
        Assert.False(throttle.IsLocked("someone", Address, out _));
    }

    /// <summary>A clock that only moves when told to.</summary>
    private sealed class FakeClock : TimeProvider
    {
        private DateTimeOffset _now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
