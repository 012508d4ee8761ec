"""Synthetic SQL Server scripts of a given size, for the memory benchmark and tests.

  tiny       one-line CREATE TABLEs of two columns (~130 bytes each), one batch, no GO:
             the catalog-heavy worst case (most objects per byte)
  realistic  tables of 12 columns with a primary key, defaults, a foreign key, a check,
             a non-clustered index and an extended property, GO after each, as SSMS
             "Generate Scripts" writes them (~1.6 KB per table)

  /usr/bin/python3 bench/memory/gen_script.py tiny 20 > /tmp/tiny20.sql   # 20 MB
"""

import sys


def tiny_table(i):
    return (f"CREATE TABLE dbo.Tiny{i:07d} (Id int NOT NULL PRIMARY KEY, "
            f"Name nvarchar(50) NULL, Amount decimal(18,2) NULL);\n")


def realistic_table(i):
    parent = f"dbo.Customer{i - 1:06d}" if i > 0 else None
    fk = (f",\n    CONSTRAINT [FK_Customer{i:06d}_Parent] FOREIGN KEY ([ParentId]) "
          f"REFERENCES {parent} ([CustomerId])") if parent else ""
    return f"""CREATE TABLE [dbo].[Customer{i:06d}] (
    [CustomerId] int IDENTITY(1,1) NOT NULL,
    [ParentId] int NULL,
    [AccountNumber] varchar(10) NOT NULL,
    [FirstName] nvarchar(50) NOT NULL,
    [LastName] nvarchar(50) NOT NULL,
    [EmailAddress] nvarchar(254) NULL,
    [Phone] varchar(25) NULL,
    [CreditLimit] decimal(19,4) NOT NULL CONSTRAINT [DF_Customer{i:06d}_CreditLimit] DEFAULT ((0)),
    [IsActive] bit NOT NULL CONSTRAINT [DF_Customer{i:06d}_IsActive] DEFAULT ((1)),
    [Notes] nvarchar(max) NULL,
    [rowguid] uniqueidentifier ROWGUIDCOL NOT NULL CONSTRAINT [DF_Customer{i:06d}_rowguid] DEFAULT (newid()),
    [ModifiedDate] datetime2(7) NOT NULL CONSTRAINT [DF_Customer{i:06d}_ModifiedDate] DEFAULT (sysdatetime()),
    CONSTRAINT [PK_Customer{i:06d}] PRIMARY KEY CLUSTERED ([CustomerId] ASC),
    CONSTRAINT [CK_Customer{i:06d}_CreditLimit] CHECK ([CreditLimit] >= (0)){fk}
) ON [PRIMARY] TEXTIMAGE_ON [PRIMARY];
GO
CREATE NONCLUSTERED INDEX [IX_Customer{i:06d}_LastName] ON [dbo].[Customer{i:06d}] ([LastName] ASC, [FirstName] ASC) INCLUDE ([EmailAddress]);
GO
EXEC sys.sp_addextendedproperty @name = N'MS_Description', @value = N'Customer accounts, shard {i}', @level0type = N'SCHEMA', @level0name = N'dbo', @level1type = N'TABLE', @level1name = N'Customer{i:06d}';
GO
"""


def generate(kind, megabytes):
    make = {"tiny": tiny_table, "realistic": realistic_table}[kind]
    target = int(megabytes * 1_000_000)
    parts, size, i = [], 0, 0
    while size < target:
        part = make(i)
        parts.append(part)
        size += len(part)
        i += 1
    return "".join(parts).encode(), i


if __name__ == "__main__":
    data, count = generate(sys.argv[1], float(sys.argv[2]))
    sys.stdout.buffer.write(data)
    print(f"{count} tables, {len(data)} bytes", file=sys.stderr)
