using Karibu.Hosting;
using Npgsql;

namespace Karibu.Tests.Hosting;

public sealed class PostgresConnectionDefaultsTests
{
    [Fact]
    public void ConnectionsAreNotResetAndKeepTheirPreparedStatements_ByDefault()
    {
        var built = new NpgsqlConnectionStringBuilder(DataSetup.WithPostgresDefaults("Host=127.0.0.1;Database=karibu;Username=karibu"));

        Assert.True(built.NoResetOnClose);
        Assert.Equal(100, built.MaxAutoPrepare);
        Assert.Equal(("127.0.0.1", "karibu", "karibu"), (built.Host, built.Database, built.Username));
    }

    [Theory]
    [InlineData("Host=h;No Reset On Close=false;Max Auto Prepare=0")]
    [InlineData("Host=h;noresetonclose=false;MAXAUTOPREPARE=0")]
    public void WhatTheConnectionStringSays_Wins(string given)
    {
        var built = new NpgsqlConnectionStringBuilder(DataSetup.WithPostgresDefaults(given));

        Assert.False(built.NoResetOnClose);
        Assert.Equal(0, built.MaxAutoPrepare);
    }
}
