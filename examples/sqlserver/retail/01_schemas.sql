-- Retail example database: schemas and shared objects.
-- Written for sqlmill's examples; run with sqlcmd (-v DatabaseName=Retail) or parse with sqlmill.
:setvar DatabaseName "Retail"
:on error exit

PRINT N'Installing the retail schema into $(DatabaseName)';
GO

IF NOT EXISTS (SELECT 1 FROM sys.schemas WHERE name = N'Sales')
    EXEC (N'CREATE SCHEMA [Sales] AUTHORIZATION [dbo]');
GO
CREATE SCHEMA [Inventory] AUTHORIZATION [dbo];
GO
CREATE SCHEMA Staging;
GO

CREATE TYPE [dbo].[Name] FROM nvarchar(100) NOT NULL;
GO
CREATE TYPE [dbo].[Money4] FROM decimal(19, 4) NULL;
GO

CREATE SEQUENCE [Sales].[OrderNumbers] AS bigint
    START WITH 1000 INCREMENT BY 1 MINVALUE 1000 NO MAXVALUE CACHE 50;
GO
