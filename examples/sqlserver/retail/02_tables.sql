-- Retail example database: tables, keys, constraints and indexes.
SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
GO

CREATE TABLE [Sales].[Customers]
(
    [CustomerID]    int IDENTITY(1, 1) NOT NULL,
    [Name]          [dbo].[Name],
    [Email]         nvarchar(256) NULL,
    [Country]       char(2) NOT NULL CONSTRAINT [DF_Customers_Country] DEFAULT ('US'),
    [CreatedAt]     datetime2(7) NOT NULL CONSTRAINT [DF_Customers_CreatedAt] DEFAULT (sysutcdatetime()),
    [RowVersion]    rowversion,
    [Notes]         ntext NULL,
    CONSTRAINT [PK_Customers] PRIMARY KEY CLUSTERED ([CustomerID] ASC)
        WITH (FILLFACTOR = 90) ON [PRIMARY],
    CONSTRAINT [UQ_Customers_Email] UNIQUE NONCLUSTERED ([Email])
) ON [PRIMARY] TEXTIMAGE_ON [PRIMARY];
GO

CREATE TABLE [Inventory].[Products]
(
    [ProductID]     int NOT NULL PRIMARY KEY,
    [Sku]           varchar(32) NOT NULL,
    [Name]          nvarchar(200) NOT NULL,
    [ListPrice]     money NOT NULL,
    [Weight]        float NULL,
    [Discontinued]  bit NOT NULL DEFAULT 0,
    [Tags]          nvarchar(max) NULL,
    [RowGuid]       uniqueidentifier ROWGUIDCOL NOT NULL DEFAULT newid(),
    CONSTRAINT [CK_Products_ListPrice] CHECK ([ListPrice] >= 0)
);
GO

CREATE UNIQUE NONCLUSTERED INDEX [IX_Products_Sku]
    ON [Inventory].[Products] ([Sku] ASC)
    INCLUDE ([Name])
    WITH (PAD_INDEX = OFF, ONLINE = OFF) ON [PRIMARY];
GO

CREATE TABLE [Sales].[Orders]
(
    [OrderID]       bigint NOT NULL CONSTRAINT [DF_Orders_OrderID] DEFAULT (NEXT VALUE FOR [Sales].[OrderNumbers]),
    [CustomerID]    int NOT NULL,
    [OrderDate]     date NOT NULL,
    [ShippedAt]     datetimeoffset(7) NULL,
    [Status]        tinyint NOT NULL,
    [Total]         [dbo].[Money4],
    [TotalWithTax]  AS ([Total] * 1.2) PERSISTED,
    CONSTRAINT [PK_Orders] PRIMARY KEY CLUSTERED ([OrderID]),
    CONSTRAINT [FK_Orders_Customers] FOREIGN KEY ([CustomerID])
        REFERENCES [Sales].[Customers] ([CustomerID]) ON DELETE NO ACTION
);
GO

ALTER TABLE [Sales].[Orders] WITH CHECK
    ADD CONSTRAINT [CK_Orders_Status] CHECK ([Status] BETWEEN 0 AND 5);
GO

CREATE TABLE [Sales].[OrderLines]
(
    [OrderID]       bigint NOT NULL,
    [LineNumber]    smallint NOT NULL,
    [ProductID]     int NOT NULL,
    [Quantity]      int NOT NULL,
    [UnitPrice]     decimal(19, 4) NOT NULL,
    [Discount]      real NULL,
    CONSTRAINT [PK_OrderLines] PRIMARY KEY ([OrderID], [LineNumber]),
    CONSTRAINT [FK_OrderLines_Orders] FOREIGN KEY ([OrderID])
        REFERENCES [Sales].[Orders] ([OrderID]) ON DELETE CASCADE,
    CONSTRAINT [FK_OrderLines_Products] FOREIGN KEY ([ProductID])
        REFERENCES [Inventory].[Products] ([ProductID])
);
GO

CREATE NONCLUSTERED INDEX [IX_OrderLines_ProductID] ON [Sales].[OrderLines] ([ProductID]);
GO

-- A staging heap loaded by the nightly import; no key on purpose.
CREATE TABLE [Staging].[CustomerImport]
(
    [Name]      nvarchar(100) NULL,
    [Email]     nvarchar(256) NULL,
    [Payload]   xml NULL,
    [LoadedAt]  datetime NOT NULL DEFAULT getdate()
);
GO

ALTER TABLE [Sales].[Customers] ADD [Segment] varchar(20) NULL;
GO
ALTER TABLE [Sales].[Customers] DROP COLUMN [Notes];
GO

EXEC sys.sp_addextendedproperty @name = N'MS_Description', @value = N'People and companies that buy from us.',
    @level0type = N'SCHEMA', @level0name = N'Sales', @level1type = N'TABLE', @level1name = N'Customers';
GO
EXEC sys.sp_addextendedproperty @name = N'MS_Description', @value = N'Primary e-mail address, unique when present.',
    @level0type = N'SCHEMA', @level0name = N'Sales', @level1type = N'TABLE', @level1name = N'Customers',
    @level2type = N'COLUMN', @level2name = N'Email';
GO
