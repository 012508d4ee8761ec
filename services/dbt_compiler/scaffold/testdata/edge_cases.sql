-- Hand-written edge cases for the migration scaffold: composite keys, self-references,
-- reserved-word and quoted names, every SQL Server type family, constraints of each kind.
CREATE DATABASE [Shop Floor];
GO
USE [Shop Floor];
GO
CREATE SCHEMA [Order Entry];
GO
CREATE TYPE dbo.Phone FROM varchar(25) NULL;
GO
CREATE TABLE dbo.Employee (
    EmployeeID int NOT NULL CONSTRAINT PK_Employee PRIMARY KEY,
    ManagerID int NULL CONSTRAINT FK_Employee_Manager REFERENCES dbo.Employee (EmployeeID),
    [Order] int NULL,
    [select] nvarchar(10) NULL,
    [First Name] nvarchar(50) NOT NULL,
    first_name nvarchar(50) NULL,
    FirstName nvarchar(50) NULL,
    Phone dbo.Phone NULL,
    Status char(1) NOT NULL CONSTRAINT CK_Employee_Status CHECK (Status IN ('A', 'I', 'L')),
    Rating tinyint NULL,
    ModifiedDate datetime NOT NULL CONSTRAINT DF_Employee_ModifiedDate DEFAULT (getdate()),
    CONSTRAINT CK_Employee_Rating CHECK ([Rating]=(1) OR [Rating]=(2) OR [Rating]=(3)),
    CONSTRAINT CK_Employee_Order CHECK ([Order] > 0)
);
GO
CREATE TABLE [Order Entry].[Order Header] (
    OrderYear smallint NOT NULL,
    OrderNumber int NOT NULL,
    EmployeeID int NOT NULL,
    Region nvarchar(20) NULL,
    CONSTRAINT PK_OrderHeader PRIMARY KEY (OrderYear, OrderNumber),
    CONSTRAINT FK_OrderHeader_Employee FOREIGN KEY (EmployeeID) REFERENCES dbo.Employee (EmployeeID)
);
GO
CREATE TABLE [Order Entry].[Order Line] (
    OrderYear smallint NOT NULL,
    OrderNumber int NOT NULL,
    LineNumber int NOT NULL,
    Sku varchar(40) NOT NULL,
    Quantity decimal(9, 2) NOT NULL,
    ParentLine int NULL,
    CONSTRAINT PK_OrderLine PRIMARY KEY (OrderYear, OrderNumber, LineNumber),
    CONSTRAINT UQ_OrderLine_Sku UNIQUE (OrderYear, OrderNumber, Sku),
    CONSTRAINT FK_OrderLine_Header FOREIGN KEY (OrderYear, OrderNumber)
        REFERENCES [Order Entry].[Order Header] (OrderYear, OrderNumber),
    CONSTRAINT FK_OrderLine_Parent FOREIGN KEY (OrderYear, OrderNumber, ParentLine)
        REFERENCES [Order Entry].[Order Line] (OrderYear, OrderNumber, LineNumber),
    CONSTRAINT FK_OrderLine_Catalog FOREIGN KEY (Sku) REFERENCES Catalog.dbo.Items (Sku)
);
GO
ALTER TABLE [Order Entry].[Order Line] WITH NOCHECK
    ADD CONSTRAINT CK_OrderLine_Quantity CHECK (Quantity IN (1, 2.5, 10));
GO
CREATE TABLE dbo.TypeFamilies (
    Id bigint IDENTITY(1, 1) NOT NULL PRIMARY KEY,
    c_bit bit, c_tinyint tinyint, c_smallint smallint, c_int int, c_bigint bigint,
    c_decimal decimal(38, 10), c_numeric numeric(5, 0), c_money money, c_smallmoney smallmoney,
    c_float float, c_real real,
    c_date date, c_time time(7), c_datetime datetime, c_datetime2 datetime2(7), c_smalldatetime smalldatetime,
    c_datetimeoffset datetimeoffset(7),
    c_char char(10), c_varchar varchar(100), c_varchar_max varchar(max), c_text text,
    c_nchar nchar(10), c_nvarchar nvarchar(4000), c_nvarchar_max nvarchar(max), c_ntext ntext,
    c_binary binary(16), c_varbinary varbinary(256), c_varbinary_max varbinary(max), c_image image,
    c_uniqueidentifier uniqueidentifier, c_xml xml, c_sql_variant sql_variant, c_hierarchyid hierarchyid,
    c_geography geography, c_geometry geometry, c_rowversion rowversion, c_sysname sysname,
    c_computed AS (c_int * 2) PERSISTED,
    [Weird{{name}}] int NULL
);
GO
CREATE UNIQUE INDEX UX_TypeFamilies_Guid ON dbo.TypeFamilies (c_uniqueidentifier);
CREATE UNIQUE INDEX UX_TypeFamilies_Char ON dbo.TypeFamilies (c_char) WHERE c_char IS NOT NULL;
GO
CREATE TABLE dbo.History (
    HistoryID int NOT NULL PRIMARY KEY CLUSTERED,
    Payload nvarchar(200) NULL,
    ValidFrom datetime2 GENERATED ALWAYS AS ROW START NOT NULL,
    ValidTo datetime2 GENERATED ALWAYS AS ROW END NOT NULL,
    PERIOD FOR SYSTEM_TIME (ValidFrom, ValidTo)
) WITH (SYSTEM_VERSIONING = ON (HISTORY_TABLE = dbo.HistoryArchive));
GO
CREATE TABLE dbo.AVeryLongTableNameThatKeepsGoingWellPastWhatPostgresAllowsForAnIdentifierNameXX (
    Id int NOT NULL
);
CREATE TABLE dbo.AVeryLongTableNameThatKeepsGoingWellPastWhatPostgresAllowsForAnIdentifierNameYY (
    Id int NOT NULL
);
GO
CREATE VIEW dbo.ActiveEmployees AS SELECT EmployeeID FROM dbo.Employee WHERE Status = 'A';
GO
EXEC sys.sp_addextendedproperty @name = N'MS_Description', @value = N'People on the payroll; "quoted" and {{ braces }}.',
    @level0type = N'SCHEMA', @level0name = N'dbo', @level1type = N'TABLE', @level1name = N'Employee';
EXEC sys.sp_addextendedproperty @name = N'MS_Description', @value = N'Who this employee reports to.',
    @level0type = N'SCHEMA', @level0name = N'dbo', @level1type = N'TABLE', @level1name = N'Employee',
    @level2type = N'COLUMN', @level2name = N'ManagerID';
GO
